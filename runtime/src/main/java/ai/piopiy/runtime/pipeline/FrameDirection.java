package ai.piopiy.runtime.pipeline;

/** Which way a frame travels: downstream towards the caller's ear, upstream towards the caller's mouth. */
public enum FrameDirection {
    DOWNSTREAM,
    UPSTREAM
}
