package ai.piopiy.runtime.pipeline;

import ai.piopiy.CallContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.spi.frame.Frame;

/**
 * A processor's handle on its pipeline. {@link #push} is for use on the lane (inside
 * {@link FrameProcessor#process} or a posted task); {@link #submit} and {@link #post} are safe from
 * any thread and hand work over to the lane.
 */
public interface ProcessorContext {

    /** Hands {@code frame} to the next processor in {@code direction}, now, on this lane. */
    void push(Frame frame, FrameDirection direction);

    default void pushDownstream(Frame frame) {
        push(frame, FrameDirection.DOWNSTREAM);
    }

    default void pushUpstream(Frame frame) {
        push(frame, FrameDirection.UPSTREAM);
    }

    /**
     * From any thread: pushes {@code frame} on from this processor as soon as the lane is free.
     * System frames overtake queued data frames.
     */
    void submit(Frame frame, FrameDirection direction);

    /** From any thread: runs {@code task} on the lane, in order with other posted work. */
    void post(Runnable task);

    /** Runs {@code task} on the lane after {@code delayNanos}. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the lane at the engine-clock time {@code deadlineNanos} (absolute, no drift). */
    Cancellable scheduleAt(long deadlineNanos, Runnable task);

    /** The engine's monotonic clock. */
    long nanoTime();

    /** The call's event listener (never null; no-op when nobody listens). */
    CallEventListener events();

    /** The call this pipeline serves, or null for a pipeline outside a call (benchmarks, tests). */
    CallContext callContext();

    /** A short id of the call for log lines. */
    String callId();

    /** True once the pipeline has finished (ended or cancelled); late work should then be dropped. */
    boolean isFinished();
}
