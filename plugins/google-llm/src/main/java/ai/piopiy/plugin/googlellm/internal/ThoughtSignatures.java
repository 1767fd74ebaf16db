package ai.piopiy.plugin.googlellm.internal;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code thoughtSignature} Gemini attached to each function call it made, by tool-call id, so the
 * call can be sent back with its signature when the conversation is replayed (Gemini 3 refuses a
 * function call in the history without it). The SPI's {@code ToolCall} has no room for provider data,
 * so the service keeps them; the oldest are forgotten past a bound, as a conversation that long is
 * long over. Thread-safe: streams of many calls share one service.
 */
public final class ThoughtSignatures {

    private final int capacity;
    private final Map<String, String> byCallId;

    public ThoughtSignatures(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is not positive: " + capacity);
        }
        this.capacity = capacity;
        this.byCallId = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > ThoughtSignatures.this.capacity;
            }
        };
    }

    public synchronized void remember(String callId, String signature) {
        byCallId.put(requireNonNull(callId, "callId is null"), requireNonNull(signature, "signature is null"));
    }

    public synchronized Optional<String> of(String callId) {
        return Optional.ofNullable(byCallId.get(callId));
    }
}
