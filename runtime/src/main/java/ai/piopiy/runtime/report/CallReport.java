package ai.piopiy.runtime.report;

import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.spi.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects what a call needs for its report, as the call runs: the transcript (who said what, when)
 * and, for every caller turn, when each stage of the answer happened — the caller stopped (VAD),
 * the STT's final transcript, the turn went to the LLM, the LLM's first token, the first sentence
 * went to the TTS, the TTS's first audio, and the first bot audio out of the transport.
 */
public final class CallReport implements CallEventListener {

    /** A line of the transcript. {@code atMillis} counts from the start of the call. */
    public record Line(long atMillis, String speaker, String text, boolean interrupted) {}

    /**
     * One caller turn's timeline, in engine-clock nanoseconds (0 = did not happen).
     */
    public static final class Turn {
        public final int number;
        public final String text;
        public long vadStop;
        public long sttFinal;
        public long turnEnd;
        public long llmRequest;
        public long llmFirstToken;
        public long ttsRequest;
        public long ttsFirstAudio;
        public long audioOut;
        public int toolCalls;
        public boolean interruptedBot;

        Turn(int number, String text) {
            this.number = number;
            this.text = text;
        }

        /**
         * Caller stopped speaking → first bot audio out; -1 when the bot never answered. A call without
         * a VAD has no "stopped speaking": its turns count from the final transcript (the STT's share is
         * then unknown and counted as 0).
         */
        public long totalNanos() {
            long from = measuredFrom();
            return audioOut == 0 || from == 0 ? -1 : audioOut - from;
        }

        /** Whether the turn counts from the VAD's "stopped speaking" (else from its transcript). */
        public boolean hasVadStop() {
            return vadStop != 0;
        }

        private long measuredFrom() {
            return vadStop != 0 ? vadStop : sttFinal != 0 ? sttFinal : turnEnd;
        }

        public long sttNanos() {
            return sttFinal == 0 || vadStop == 0 ? 0 : Math.max(0, sttFinal - vadStop);
        }

        public long llmNanos() {
            return llmFirstToken == 0 ? 0 : llmFirstToken - llmRequest;
        }

        public long firstSentenceNanos() {
            return ttsRequest == 0 || llmFirstToken == 0 ? 0 : Math.max(0, ttsRequest - llmFirstToken);
        }

        public long ttsNanos() {
            return ttsFirstAudio == 0 || ttsRequest == 0 ? 0 : ttsFirstAudio - ttsRequest;
        }

        /** What is left when the providers' time is taken out: the runtime's own share. */
        public long runtimeNanos() {
            long total = totalNanos();
            return total < 0 ? -1 : Math.max(0, total - sttNanos() - llmNanos() - firstSentenceNanos() - ttsNanos());
        }
    }

    private final List<Line> transcript = new ArrayList<>();
    private final List<Turn> turns = new ArrayList<>();
    private long startNanos;
    private long endNanos;
    private String endReason = "";
    private long lastVadStop;
    private long lastFinal;
    private Turn open;
    private int interruptions;

    @Override
    public synchronized void callStarted(String callId, long atNanos) {
        startNanos = atNanos;
    }

    @Override
    public synchronized void userStoppedSpeaking(long atNanos) {
        lastVadStop = atNanos;
    }

    @Override
    public synchronized void transcript(String text, boolean isFinal, long atNanos) {
        if (isFinal) {
            lastFinal = atNanos;
        }
    }

    @Override
    public synchronized void userTurnEnded(String text, long atNanos) {
        Turn turn = new Turn(turns.size() + 1, text);
        turn.vadStop = lastVadStop;
        turn.sttFinal = lastFinal >= lastVadStop - 5_000_000_000L ? lastFinal : 0;
        turn.turnEnd = atNanos;
        turns.add(turn);
        open = turn;
        transcript.add(new Line(millis(atNanos), "caller", text, false));
    }

    @Override
    public synchronized void llmRequestStarted(long atNanos) {
        if (open != null && open.llmRequest == 0) {
            open.llmRequest = atNanos;
        }
    }

    @Override
    public synchronized void llmFirstToken(long atNanos) {
        if (open != null && open.llmFirstToken == 0) {
            open.llmFirstToken = atNanos;
        }
    }

    @Override
    public synchronized void ttsRequestStarted(String text, long atNanos) {
        if (open != null && open.llmFirstToken != 0 && open.ttsRequest == 0) {
            open.ttsRequest = atNanos;
        }
    }

    @Override
    public synchronized void ttsFirstAudio(long atNanos) {
        if (open != null && open.ttsRequest != 0 && open.ttsFirstAudio == 0) {
            open.ttsFirstAudio = atNanos;
        }
    }

    @Override
    public synchronized void botStartedSpeaking(long atNanos) {
        if (open != null && open.ttsFirstAudio != 0 && open.audioOut == 0) {
            open.audioOut = atNanos;
            open = null;
        }
    }

    @Override
    public synchronized void botSaid(String text, boolean interrupted, long atNanos) {
        transcript.add(new Line(millis(atNanos), "agent", text, interrupted));
    }

    @Override
    public synchronized void interrupted(long decidedAtNanos, long lastAudioNanos) {
        interruptions++;
        if (!turns.isEmpty()) {
            turns.getLast().interruptedBot = true;
        }
    }

    @Override
    public synchronized void toolCallStarted(ToolCall call, long atNanos) {
        if (open != null) {
            open.toolCalls++;
        }
        transcript.add(new Line(millis(atNanos), "tool", call.name() + " " + call.argumentsJson(), false));
    }

    @Override
    public synchronized void callEnded(String reason, boolean cancelled, long atNanos) {
        endNanos = atNanos;
        endReason = reason;
    }

    private long millis(long atNanos) {
        return (atNanos - startNanos) / 1_000_000;
    }

    public synchronized List<Line> transcript() {
        return List.copyOf(transcript);
    }

    public synchronized List<Turn> turns() {
        return List.copyOf(turns);
    }

    public synchronized int interruptions() {
        return interruptions;
    }

    public synchronized long startNanos() {
        return startNanos;
    }

    /** The transcript and the per-turn latency table, as text for a terminal. */
    public synchronized String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Call of %.1f s (%s), %d caller turns, %d interruptions%n%n",
                (endNanos - startNanos) / 1e9, endReason, turns.size(), interruptions));
        b.append("Transcript\n");
        for (Line l : transcript) {
            b.append(String.format(Locale.ROOT, "  %7.2f s  %-6s  %s%s%n", l.atMillis() / 1000.0, l.speaker(), l.text(),
                    l.interrupted() ? "  [cut off by the caller]" : ""));
        }
        b.append("\nTurns: caller stopped -> first bot audio, by stage (ms)\n");
        b.append(String.format(Locale.ROOT, "  %-4s %8s %8s %8s %10s %8s %9s %8s%n",
                "turn", "STT", "LLM", "sentence", "TTS", "runtime", "total", "tools"));
        boolean withoutVad = false;
        for (Turn t : turns) {
            if (t.totalNanos() < 0) {
                b.append(String.format(Locale.ROOT, "  %-4d (not answered)%n", t.number));
                continue;
            }
            withoutVad |= !t.hasVadStop();
            b.append(String.format(Locale.ROOT, "  %-4d %8s %8.0f %8.0f %10.0f %8.0f %9.0f %8d%n", t.number,
                    t.hasVadStop() ? String.format(Locale.ROOT, "%.0f", t.sttNanos() / 1e6) : "-",
                    t.llmNanos() / 1e6, t.firstSentenceNanos() / 1e6, t.ttsNanos() / 1e6,
                    t.runtimeNanos() / 1e6, t.totalNanos() / 1e6, t.toolCalls));
        }
        b.append("  STT: caller stopped -> final transcript; LLM: request -> first token (tools included);\n"
                + "  sentence: first token -> first whole sentence; TTS: sentence -> first audio;\n"
                + "  runtime: the rest (turn decision, hand-offs, pacing).\n");
        if (withoutVad) {
            b.append("  STT \"-\": no VAD told when the caller stopped; such a turn counts from its final transcript.\n");
        }
        return b.toString();
    }
}
