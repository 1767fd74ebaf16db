package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;

/**
 * The top of a call's pipeline: starts the transport when the call starts and turns the caller's
 * audio into {@link InputAudioFrame}s. The transport's thread delivers straight into the lane, so
 * caller audio reaches the VAD and STT without a thread hop.
 */
public final class TransportInputProcessor extends FrameProcessor {

    /** What the agent does when the caller comes and goes. Runs on the lane. */
    public interface CallerEvents {
        void callerJoined(String participantId, ProcessorContext ctx);

        void callerLeft(String participantId, String reason, ProcessorContext ctx);
    }

    private final CallTransport transport;
    private final CallerEvents callerEvents;
    private int sampleRate;

    public TransportInputProcessor(CallTransport transport, CallerEvents callerEvents) {
        super("transport-input");
        this.transport = requireNonNull(transport, "transport is null");
        this.callerEvents = requireNonNull(callerEvents, "callerEvents is null");
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        ctx.push(frame, direction);
        if (frame instanceof StartFrame) {
            sampleRate = transport.inputFormat().sampleRate();
            transport.start(new Listener(ctx));
        }
    }

    private final class Listener implements TransportListener {
        private final ProcessorContext ctx;

        Listener(ProcessorContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onAudio(byte[] pcm) {
            ctx.submit(new InputAudioFrame(pcm, sampleRate), FrameDirection.DOWNSTREAM);
        }

        @Override
        public void onCallerJoined(String participantId) {
            ctx.post(() -> callerEvents.callerJoined(participantId, ctx));
        }

        @Override
        public void onCallerLeft(String participantId, String reason) {
            ctx.post(() -> callerEvents.callerLeft(participantId, reason, ctx));
        }

        @Override
        public void onError(String message, Throwable cause, boolean fatal) {
            ctx.submit(new ErrorFrame("transport", message, cause, fatal), FrameDirection.UPSTREAM);
        }
    }
}
