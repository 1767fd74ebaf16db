package ai.piopiy.spi.frame;

/** Ordered frames that are never dropped. */
public sealed interface ControlFrame extends Frame permits EndFrame, FunctionCallResultFrame {}
