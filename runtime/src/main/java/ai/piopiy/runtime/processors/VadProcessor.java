package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.runtime.vad.VadStateMachine;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.spi.frame.UserStoppedSpeakingFrame;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;

/**
 * Runs a voice-activity model over the caller's audio and emits user-started / user-stopped speaking
 * frames, each pushed before the audio frame that caused it. The model only scores windows; the
 * state machine ({@link VadStateMachine}) decides. Audio passes on unchanged.
 */
public final class VadProcessor extends FrameProcessor {

    private final VadService service;
    private final VadParams params;
    private VadSession session;
    private VadStateMachine machine;
    private Resampler resampler;
    private short[] window;
    private int filled;
    private double sumSquares;

    public VadProcessor(VadService service, VadParams params) {
        super("vad");
        this.service = requireNonNull(service, "service is null");
        this.params = requireNonNull(params, "params is null");
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        switch (frame) {
            case InputAudioFrame audio when direction == FrameDirection.DOWNSTREAM && session != null -> {
                analyse(audio, ctx);
                ctx.push(frame, direction);
            }
            case StartFrame start -> {
                open(start.inputFormat().sampleRate());
                ctx.push(frame, direction);
            }
            case EndFrame e -> {
                close();
                ctx.push(frame, direction);
            }
            case CancelFrame c -> {
                close();
                ctx.push(frame, direction);
            }
            default -> ctx.push(frame, direction);
        }
    }

    /** Whether the caller's latest audio was speech; interruption strategies count only that. */
    public boolean speechNow() {
        return machine != null && machine.lastWindowSpeech();
    }

    private void open(int inputRate) {
        int rate = service.supportsSampleRate(inputRate) ? inputRate : service.preferredSampleRate();
        resampler = rate == inputRate ? null : new Resampler(inputRate, rate);
        session = service.openSession(rate);
        window = new short[session.windowSamples()];
        filled = 0;
        sumSquares = 0;
        machine = new VadStateMachine(params, (double) window.length / rate);
    }

    private void analyse(InputAudioFrame audio, ProcessorContext ctx) {
        byte[] pcm = resampler == null ? audio.pcm() : resampler.process(audio.pcm());
        int samples = pcm.length >> 1;
        for (int s = 0, i = 0; s < samples; s++, i += 2) {
            short v = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            window[filled++] = v;
            sumSquares += (double) v * v;
            if (filled == window.length) {
                float p = session.speechProbability(window);
                double rms = Math.sqrt(sumSquares / window.length);
                filled = 0;
                sumSquares = 0;
                switch (machine.onWindow(p, rms)) {
                    case STARTED -> {
                        long now = ctx.nanoTime();
                        ctx.events().userStartedSpeaking(now);
                        ctx.pushDownstream(new UserStartedSpeakingFrame(now));
                    }
                    case STOPPED -> {
                        long now = ctx.nanoTime();
                        ctx.events().userStoppedSpeaking(now);
                        ctx.pushDownstream(new UserStoppedSpeakingFrame(now));
                    }
                    case NONE -> { }
                }
            }
        }
    }

    private void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        close();
    }
}
