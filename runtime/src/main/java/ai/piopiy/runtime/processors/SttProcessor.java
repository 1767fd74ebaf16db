package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.InterimTranscriptionFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.TranscriptionFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.spi.frame.UserStoppedSpeakingFrame;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;

/**
 * Feeds the caller's audio to a speech-to-text stream and pushes what it hears as interim and final
 * transcription frames. Audio and speaking events pass on unchanged. Measures time to first byte
 * from the end of the caller's speech to the next final transcript.
 */
public final class SttProcessor extends FrameProcessor {

    private final SttService service;
    private SttStream stream;
    private int streamGeneration;
    private int switcherGeneration;
    private AudioFormat format;
    private long stoppedAtNanos;

    public SttProcessor(SttService service) {
        super("stt");
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        switch (frame) {
            case InputAudioFrame audio when direction == FrameDirection.DOWNSTREAM -> {
                ctx.push(frame, direction);
                if (format != null) {
                    if (service instanceof ServiceSwitcher<?> sw && sw.generation() != switcherGeneration) {
                        closeStream();
                        open(ctx);
                    }
                    if (stream != null) {
                        stream.sendAudio(audio.pcm(), 0, audio.pcm().length);
                    }
                }
            }
            case UserStartedSpeakingFrame s -> {
                ctx.push(frame, direction);
                if (stream != null) {
                    stream.userStartedSpeaking();
                }
            }
            case UserStoppedSpeakingFrame s -> {
                stoppedAtNanos = s.atNanos();
                if (stream != null) {
                    stream.userStoppedSpeaking();
                }
                ctx.push(frame, direction);
            }
            case StartFrame start -> {
                format = start.inputFormat();
                open(ctx);
                ctx.push(frame, direction);
            }
            case EndFrame e -> {
                closeStream();
                ctx.push(frame, direction);
            }
            case CancelFrame c -> {
                closeStream();
                ctx.push(frame, direction);
            }
            default -> ctx.push(frame, direction);
        }
    }

    private void open(ProcessorContext ctx) {
        if (service instanceof ServiceSwitcher<?> sw) {
            switcherGeneration = sw.generation();
        }
        int generation = ++streamGeneration;
        try {
            stream = service.openStream(new SttStreamSpec(format, ctx.callId()), new Listener(ctx, generation));
        } catch (ServiceException e) {
            ctx.pushUpstream(new ErrorFrame(name(), e.getMessage(), e, true));
        }
    }

    private void closeStream() {
        if (stream != null) {
            SttStream s = stream;
            stream = null;
            streamGeneration++;
            s.close();
        }
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        closeStream();
    }

    /** Hands results from the provider's thread to the lane; results of a replaced stream are dropped. */
    private final class Listener implements SttListener {
        private final ProcessorContext ctx;
        private final int generation;

        Listener(ProcessorContext ctx, int generation) {
            this.ctx = ctx;
            this.generation = generation;
        }

        @Override
        public void onTranscript(Transcript t) {
            ctx.post(() -> {
                if (generation != streamGeneration || t.text().isBlank()) {
                    return;
                }
                long now = ctx.nanoTime();
                ctx.events().transcript(t.text(), t.isFinal(), now);
                if (t.isFinal()) {
                    if (stoppedAtNanos != 0) {
                        ctx.events().metric(new Metric.TimeToFirstByte(name(), now - stoppedAtNanos));
                        stoppedAtNanos = 0;
                    }
                    ctx.pushDownstream(new TranscriptionFrame(t.text(), t.language(), now));
                } else {
                    ctx.pushDownstream(new InterimTranscriptionFrame(t.text(), t.language(), now));
                }
            });
        }

        @Override
        public void onError(ServiceException error) {
            ctx.post(() -> {
                if (generation == streamGeneration) {
                    ctx.pushUpstream(new ErrorFrame(name(), error.getMessage(), error, error.fatal()));
                }
            });
        }
    }
}
