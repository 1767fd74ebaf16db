package ai.piopiy.runtime.events;

import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.Metric;
import java.util.List;

final class CompositeCallEventListener implements CallEventListener {

    private final List<CallEventListener> listeners;

    CompositeCallEventListener(List<CallEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override public void callStarted(String callId, long t) { for (var l : listeners) l.callStarted(callId, t); }
    @Override public void userStartedSpeaking(long t) { for (var l : listeners) l.userStartedSpeaking(t); }
    @Override public void userStoppedSpeaking(long t) { for (var l : listeners) l.userStoppedSpeaking(t); }
    @Override public void transcript(String text, boolean f, long t) { for (var l : listeners) l.transcript(text, f, t); }
    @Override public void userTurnEnded(String text, long t) { for (var l : listeners) l.userTurnEnded(text, t); }
    @Override public void llmRequestStarted(long t) { for (var l : listeners) l.llmRequestStarted(t); }
    @Override public void llmFirstToken(long t) { for (var l : listeners) l.llmFirstToken(t); }
    @Override public void llmResponseEnded(String text, long t) { for (var l : listeners) l.llmResponseEnded(text, t); }
    @Override public void ttsRequestStarted(String text, long t) { for (var l : listeners) l.ttsRequestStarted(text, t); }
    @Override public void ttsFirstAudio(long t) { for (var l : listeners) l.ttsFirstAudio(t); }
    @Override public void botStartedSpeaking(long t) { for (var l : listeners) l.botStartedSpeaking(t); }
    @Override public void botStoppedSpeaking(long t) { for (var l : listeners) l.botStoppedSpeaking(t); }
    @Override public void botSaid(String text, boolean i, long t) { for (var l : listeners) l.botSaid(text, i, t); }
    @Override public void interrupted(long d, long last) { for (var l : listeners) l.interrupted(d, last); }
    @Override public void toolCallStarted(ToolCall c, long t) { for (var l : listeners) l.toolCallStarted(c, t); }
    @Override public void toolCallFinished(ToolCall c, String r, boolean x, long t) { for (var l : listeners) l.toolCallFinished(c, r, x, t); }
    @Override public void metric(Metric m) { for (var l : listeners) l.metric(m); }
    @Override public void error(ErrorFrame e) { for (var l : listeners) l.error(e); }
    @Override public void callEnded(String reason, boolean c, long t) { for (var l : listeners) l.callEnded(reason, c, t); }
}
