package ai.piopiy.runtime.pipeline;

import ai.piopiy.spi.frame.Frame;

/**
 * Sees every frame hop between two processors, on the call's lane. For logging, tracing and tests;
 * a pipeline without observers pays nothing for the hook.
 */
@FunctionalInterface
public interface PipelineObserver {

    void onFrameHop(FrameProcessor from, FrameProcessor to, Frame frame, FrameDirection direction, long atNanos);
}
