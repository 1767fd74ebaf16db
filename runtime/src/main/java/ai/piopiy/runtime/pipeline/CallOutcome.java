package ai.piopiy.runtime.pipeline;

import ai.piopiy.spi.frame.ErrorFrame;

/** How a pipeline finished: ended (drained) or cancelled, why, and the fatal error if one ended it. */
public record CallOutcome(String reason, boolean cancelled, ErrorFrame fatalError) {}
