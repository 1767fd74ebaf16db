package ai.piopiy.runtime.events;

import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.Metric;
import java.util.List;

/**
 * What happens in one call, as it happens: for logs, metrics, call reports and latency timelines.
 * Every method has a no-op default; override what you need. Times are the engine's monotonic clock
 * ({@link System#nanoTime()}). Called on the call's lane: return quickly, never block.
 */
public interface CallEventListener {

    CallEventListener NONE = new CallEventListener() {};

    /** Makes one listener per call. */
    @FunctionalInterface
    interface Factory {
        CallEventListener create(String callId);
    }

    default void callStarted(String callId, long atNanos) {}

    default void userStartedSpeaking(long atNanos) {}

    default void userStoppedSpeaking(long atNanos) {}

    default void transcript(String text, boolean isFinal, long atNanos) {}

    /** A user turn is complete and goes to the LLM. */
    default void userTurnEnded(String text, long atNanos) {}

    default void llmRequestStarted(long atNanos) {}

    default void llmFirstToken(long atNanos) {}

    default void llmResponseEnded(String text, long atNanos) {}

    default void ttsRequestStarted(String text, long atNanos) {}

    default void ttsFirstAudio(long atNanos) {}

    /** The first bot audio of an answer left through the transport. */
    default void botStartedSpeaking(long atNanos) {}

    default void botStoppedSpeaking(long atNanos) {}

    /** The bot said {@code text} and the caller heard it (a whole answer, or the heard part when cut). */
    default void botSaid(String text, boolean interrupted, long atNanos) {}

    /** The caller interrupted the bot; {@code lastAudioNanos} is when the last bot audio frame was sent. */
    default void interrupted(long decidedAtNanos, long lastAudioNanos) {}

    default void toolCallStarted(ToolCall call, long atNanos) {}

    default void toolCallFinished(ToolCall call, String resultJson, boolean cancelled, long atNanos) {}

    default void metric(Metric metric) {}

    default void error(ErrorFrame error) {}

    default void callEnded(String reason, boolean cancelled, long atNanos) {}

    /** One listener that forwards to several. */
    static CallEventListener composite(List<CallEventListener> listeners) {
        List<CallEventListener> copy = listeners.stream().filter(l -> l != NONE).toList();
        if (copy.isEmpty()) {
            return NONE;
        }
        if (copy.size() == 1) {
            return copy.getFirst();
        }
        return new CompositeCallEventListener(copy);
    }
}
