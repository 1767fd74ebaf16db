package ai.piopiy.plugin.llmhttp;

import com.fasterxml.jackson.core.JacksonException;

/**
 * Decodes one response's server-sent events into text, tool calls and usage. One instance per
 * request: it holds that stream's state (tool-call fragments, token counts). Called from the
 * stream's thread only.
 */
public interface SseDecoder {

    /**
     * Handles one event.
     *
     * @param event the {@code event:} field, {@code message} when the server sent none
     * @param data the {@code data:} lines joined with {@code \n}
     * @return true when this was the final event of a complete answer ({@code [DONE]}, {@code message_stop})
     * @throws JacksonException when {@code data} is not the JSON the protocol promises (reported as a malformed event)
     * @throws ai.piopiy.spi.ServiceException when the event is an error the provider sent in the stream
     */
    boolean onEvent(String event, String data, LlmOutput out) throws JacksonException;

    /** What the final event is called, for the error when a stream ends without it. */
    String finalEventName();

    /**
     * Called when the body ended cleanly without a final event. Most protocols end with one
     * ({@code [DONE]}, {@code message_stop}), so the default reports the stream as cut short; a
     * protocol whose stream simply ends (Gemini's) returns true when what came was a whole answer,
     * and may still deliver what it held back until the end (the last usage).
     *
     * @return true when the answer is complete
     * @throws ai.piopiy.spi.ServiceException when the stream ended in a way the protocol calls a failure
     */
    default boolean onEndOfBody(LlmOutput out) {
        return false;
    }
}
