package ai.piopiy.plugin.pocketsphinx.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SegmentedSttStream;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import java.time.Duration;

/**
 * One call's segmented recognition with PocketSphinx: the SPI's {@link SegmentedSttStream} collects
 * each VAD segment; this decodes it at the model's 16 kHz on one of the service's resident decoders.
 */
public final class SegmentingSttStream extends SegmentedSttStream {

    public static final int MODEL_RATE = 16_000;

    private final DecoderPool decoders;

    public SegmentingSttStream(String name, DecoderPool decoders, ProviderContext context, SttStreamSpec spec,
            SttListener listener, Duration preRoll, Duration maxSegment) {
        super(name, context, spec, listener, preRoll, maxSegment);
        this.decoders = requireNonNull(decoders, "decoders is null");
    }

    @Override
    protected String transcribe(byte[] audio) throws InterruptedException {
        byte[] pcm16k = spec.format().sampleRate() == MODEL_RATE
                ? audio
                : new Resampler(spec.format().sampleRate(), MODEL_RATE).process(audio);
        long decodeStart = context.nanoTime();
        String text = decoders.decode(pcm16k, pcm16k.length);
        context.logger().debug("call {}: decoded {} ms of speech in {} ms: '{}'", spec.callId(),
                pcm16k.length / 32, (context.nanoTime() - decodeStart) / 1_000_000, text);
        return text;
    }

    @Override
    protected String failureMessage(RuntimeException e) {
        return "could not decode a segment of call " + spec.callId() + ": " + e.getMessage();
    }
}
