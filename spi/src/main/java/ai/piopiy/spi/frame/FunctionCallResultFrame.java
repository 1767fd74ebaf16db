package ai.piopiy.spi.frame;

import ai.piopiy.spi.llm.ToolCall;

/** A tool's result (JSON) — or its error, or that it was cancelled — now in the conversation. */
public record FunctionCallResultFrame(ToolCall call, String resultJson, boolean cancelled) implements ControlFrame {}
