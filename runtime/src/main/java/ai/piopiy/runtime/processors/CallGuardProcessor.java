package ai.piopiy.runtime.processors;

import ai.piopiy.runtime.pipeline.Cancellable;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.BotStartedSpeakingFrame;
import ai.piopiy.spi.frame.BotStoppedSpeakingFrame;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.LlmResponseStartFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.spi.frame.UserStoppedSpeakingFrame;
import java.time.Duration;

/**
 * Ends calls that should not go on: nobody has spoken (neither the caller nor the bot) for the idle
 * timeout, or the call has lasted its maximum duration. Sits near the top of the pipeline, where it
 * sees the caller's speaking events going down and the bot's coming up.
 */
public final class CallGuardProcessor extends FrameProcessor {

    /** Why a guard fired. */
    public enum Reason { IDLE, MAX_DURATION }

    /** What to do when a guard fires; runs on the lane (typically: say goodbye, then end the call). */
    @FunctionalInterface
    public interface GuardAction {
        void fire(Reason reason, ProcessorContext ctx);
    }

    private final Duration idleTimeout;
    private final Duration maxDuration;
    private final GuardAction action;
    private Cancellable idleTimer = Cancellable.NONE;
    private Cancellable durationTimer = Cancellable.NONE;
    private int idleGeneration;
    private boolean userSpeaking;
    private boolean botSpeaking;
    private boolean fired;

    /** @param idleTimeout null or zero for none; @param maxDuration null or zero for none */
    public CallGuardProcessor(Duration idleTimeout, Duration maxDuration, GuardAction action) {
        super("call-guard");
        this.idleTimeout = positive(idleTimeout);
        this.maxDuration = positive(maxDuration);
        this.action = action;
    }

    private static Duration positive(Duration d) {
        return d == null || d.isZero() || d.isNegative() ? null : d;
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        switch (frame) {
            case StartFrame s -> {
                if (maxDuration != null) {
                    durationTimer = ctx.schedule(maxDuration.toNanos(), () -> fire(Reason.MAX_DURATION, ctx));
                }
                rearmIdle(ctx);
            }
            case UserStartedSpeakingFrame s -> {
                userSpeaking = true;
                rearmIdle(ctx);
            }
            case UserStoppedSpeakingFrame s -> {
                userSpeaking = false;
                rearmIdle(ctx);
            }
            case BotStartedSpeakingFrame s -> {
                botSpeaking = true;
                rearmIdle(ctx);
            }
            case BotStoppedSpeakingFrame s -> {
                botSpeaking = false;
                rearmIdle(ctx);
            }
            case LlmResponseStartFrame s -> rearmIdle(ctx);
            case EndFrame e -> stopTimers();
            case CancelFrame c -> stopTimers();
            default -> { }
        }
        ctx.push(frame, direction);
    }

    private void rearmIdle(ProcessorContext ctx) {
        if (idleTimeout == null || fired) {
            return;
        }
        idleTimer.cancel();
        int generation = ++idleGeneration;
        idleTimer = ctx.schedule(idleTimeout.toNanos(), () -> {
            if (generation == idleGeneration && !userSpeaking && !botSpeaking) {
                fire(Reason.IDLE, ctx);
            }
        });
    }

    private void fire(Reason reason, ProcessorContext ctx) {
        if (fired || ctx.isFinished()) {
            return;
        }
        fired = true;
        stopTimers();
        action.fire(reason, ctx);
    }

    private void stopTimers() {
        idleGeneration++;
        idleTimer.cancel();
        durationTimer.cancel();
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        stopTimers();
    }
}
