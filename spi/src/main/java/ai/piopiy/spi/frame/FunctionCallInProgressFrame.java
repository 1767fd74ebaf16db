package ai.piopiy.spi.frame;

import ai.piopiy.spi.llm.ToolCall;

/** The LLM asked for a tool and its handler is running. */
public record FunctionCallInProgressFrame(ToolCall call) implements DataFrame {}
