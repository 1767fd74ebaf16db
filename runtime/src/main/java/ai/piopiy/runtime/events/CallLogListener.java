package ai.piopiy.runtime.events;

import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INFO log lines of one call: what the caller and the bot said, tool calls, interruptions, and a
 * one-line summary with the turn latencies at the end. Transcript text is call content, not a
 * secret, but operators who must not log it can turn the logger {@code ai.piopiy.call} to WARN.
 */
public final class CallLogListener implements CallEventListener {

    private static final Logger log = LoggerFactory.getLogger("ai.piopiy.call");

    private final String callId;
    private long startedAt;
    private long userStoppedAt;
    private boolean awaitingFirstAudio;
    private final List<Long> responseLatencies = new ArrayList<>();
    private int userTurns;
    private int interruptions;
    private long lastFinalAt;
    private long turnFrom;
    private boolean fromTranscript;

    public CallLogListener(String callId) {
        this.callId = callId;
    }

    @Override
    public void callStarted(String id, long atNanos) {
        startedAt = atNanos;
        log.info("[{}] call started", callId);
    }

    @Override
    public void userStoppedSpeaking(long atNanos) {
        userStoppedAt = atNanos;
    }

    @Override
    public void transcript(String text, boolean isFinal, long atNanos) {
        if (isFinal) {
            lastFinalAt = atNanos;
        }
    }

    @Override
    public void userTurnEnded(String text, long atNanos) {
        userTurns++;
        awaitingFirstAudio = true;
        // without a VAD there is no "stopped speaking": the turn counts from its final transcript
        turnFrom = userStoppedAt != 0 ? userStoppedAt : lastFinalAt != 0 ? lastFinalAt : atNanos;
        fromTranscript |= userStoppedAt == 0;
        log.info("[{}] caller: {}", callId, text);
    }

    @Override
    public void botStartedSpeaking(long atNanos) {
        if (awaitingFirstAudio) {
            responseLatencies.add(atNanos - turnFrom);
        }
        awaitingFirstAudio = false;
    }

    @Override
    public void botSaid(String text, boolean interrupted, long atNanos) {
        log.info("[{}] bot: {}{}", callId, text, interrupted ? "  [interrupted]" : "");
    }

    @Override
    public void interrupted(long decidedAtNanos, long lastAudioNanos) {
        interruptions++;
        log.info("[{}] caller interrupted the bot", callId);
    }

    @Override
    public void toolCallStarted(ToolCall call, long atNanos) {
        log.info("[{}] tool {}({})", callId, call.name(), abbreviate(call.argumentsJson()));
    }

    @Override
    public void toolCallFinished(ToolCall call, String resultJson, boolean cancelled, long atNanos) {
        log.info("[{}] tool {} -> {}{}", callId, call.name(), abbreviate(resultJson), cancelled ? " [cancelled]" : "");
    }

    @Override
    public void error(ErrorFrame error) {
        log.warn("[{}] {} error in {}: {}", callId, error.fatal() ? "fatal" : "recoverable", error.source(), error.message());
    }

    @Override
    public void callEnded(String reason, boolean cancelled, long atNanos) {
        long[] sorted = responseLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        String latency = sorted.length == 0 ? "n/a"
                : String.format("median %d ms, max %d ms", sorted[(sorted.length - 1) / 2] / 1_000_000, sorted[sorted.length - 1] / 1_000_000);
        log.info("[{}] call {} after {} s ({}): {} caller turns, {} interruptions, response latency (caller stopped -> bot audio) {}",
                callId, cancelled ? "cancelled" : "ended", String.format("%.1f", (atNanos - startedAt) / 1e9), reason,
                userTurns, interruptions, fromTranscript ? latency + " (from the final transcript: no VAD)" : latency);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
