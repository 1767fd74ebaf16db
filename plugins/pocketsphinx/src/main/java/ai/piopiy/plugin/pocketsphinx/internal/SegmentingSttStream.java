package ai.piopiy.plugin.pocketsphinx.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One call's segmented recognition: audio is kept in a short pre-roll ring until the VAD hears speech,
 * then collected until it hears the end; that segment is decoded on a blocking thread and reported as
 * one final transcript. A call's segments are decoded one after another, so its transcripts arrive in
 * order and its listener is never called twice at once.
 */
public final class SegmentingSttStream implements SttStream {

    public static final int MODEL_RATE = 16_000;

    private final String name;
    private final DecoderPool decoders;
    private final ProviderContext context;
    private final SttStreamSpec spec;
    private final SttListener listener;
    private final byte[] preRoll;
    private final int maxSegmentBytes;
    private int preRollWrite;
    private boolean preRollFull;
    private byte[] segment = new byte[0];
    private int segmentLength;
    private boolean collecting;
    private boolean truncated;
    private boolean closed;
    /** The last decode of this call; the next one starts after it. */
    private volatile CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);

    public SegmentingSttStream(String name, DecoderPool decoders, ProviderContext context, SttStreamSpec spec,
            SttListener listener, Duration preRoll, Duration maxSegment) {
        this.name = requireNonNull(name, "name is null");
        this.decoders = requireNonNull(decoders, "decoders is null");
        this.context = requireNonNull(context, "context is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.preRoll = new byte[spec.format().bytesPer((int) preRoll.toMillis())];
        this.maxSegmentBytes = spec.format().bytesPer((int) maxSegment.toMillis());
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        if (closed) {
            return;
        }
        if (collecting) {
            append(pcm, offset, length);
        } else {
            remember(pcm, offset, length);
        }
    }

    @Override
    public void userStartedSpeaking() {
        if (closed || collecting) {
            return;
        }
        collecting = true;
        truncated = false;
        segmentLength = 0;
        if (preRollFull) {
            append(preRoll, preRollWrite, preRoll.length - preRollWrite);
        }
        append(preRoll, 0, preRollWrite);
        preRollWrite = 0;
        preRollFull = false;
    }

    @Override
    public void userStoppedSpeaking() {
        if (closed || !collecting) {
            return;
        }
        collecting = false;
        byte[] audio = Arrays.copyOf(segment, segmentLength);
        long stoppedAt = context.nanoTime();
        // exceptionally: a segment that failed in an unforeseen way must not stop the call's later ones
        lane = lane.exceptionally(e -> null).thenRunAsync(() -> transcribe(audio, stoppedAt), context.blockingExecutor());
    }

    private void transcribe(byte[] audio, long stoppedAt) {
        try {
            byte[] pcm16k = spec.format().sampleRate() == MODEL_RATE
                    ? audio
                    : new Resampler(spec.format().sampleRate(), MODEL_RATE).process(audio);
            long decodeStart = context.nanoTime();
            String text = decoders.decode(pcm16k, pcm16k.length);
            long now = context.nanoTime();
            context.logger().debug("call {}: decoded {} ms of speech in {} ms: '{}'", spec.callId(),
                    pcm16k.length / 32, (now - decodeStart) / 1_000_000, text);
            if (!text.isEmpty()) {
                context.metrics().record(new Metric.TimeToFirstByte(name, now - stoppedAt));
                listener.onTranscript(Transcript.complete(text));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            listener.onError(new ServiceException(name, "could not decode a segment of call " + spec.callId()
                    + ": " + e.getMessage(), false, e));
        }
    }

    private void remember(byte[] pcm, int offset, int length) {
        if (preRoll.length == 0) {
            return;
        }
        if (length >= preRoll.length) {
            System.arraycopy(pcm, offset + length - preRoll.length, preRoll, 0, preRoll.length);
            preRollWrite = 0;
            preRollFull = true;
            return;
        }
        int first = Math.min(length, preRoll.length - preRollWrite);
        System.arraycopy(pcm, offset, preRoll, preRollWrite, first);
        System.arraycopy(pcm, offset + first, preRoll, 0, length - first);
        int end = preRollWrite + length;
        preRollFull |= end >= preRoll.length;
        preRollWrite = end % preRoll.length;
    }

    private void append(byte[] pcm, int offset, int length) {
        int room = maxSegmentBytes - segmentLength;
        if (length > room) {
            if (!truncated) {
                truncated = true;
                context.logger().warn("call {}: speech longer than {} ms; the rest of this segment is not transcribed",
                        spec.callId(), maxSegmentBytes / spec.format().bytesPer(1));
            }
            length = room;
        }
        if (segmentLength + length > segment.length) {
            segment = Arrays.copyOf(segment, Math.max(segmentLength + length, Math.min(maxSegmentBytes,
                    Math.max(segment.length * 2, spec.format().bytesPer(2_000)))));
        }
        System.arraycopy(pcm, offset, segment, segmentLength, length);
        segmentLength += length;
    }

    /** Segments already handed to a decoder are still reported; speech still being collected is dropped. */
    @Override
    public void close() {
        closed = true;
        collecting = false;
        segment = new byte[0];
    }

    /** Completes when every segment handed over so far has been decoded and reported. */
    public CompletableFuture<Void> idle() {
        return lane;
    }
}
