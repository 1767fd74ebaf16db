package ai.piopiy.plugin.scripted;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.testing.CallbackRecorder;
import java.time.Duration;
import java.util.List;

/** Records a completion's events in order: text pieces (Strings), tool calls, usage, "complete", errors. */
final class RecordingLlmListener implements LlmListener {

    static final String COMPLETE = "complete";

    final CallbackRecorder events = new CallbackRecorder();

    @Override
    public void onText(String text) {
        events.record(text);
    }

    @Override
    public void onToolCall(ToolCall call) {
        events.record(call);
    }

    @Override
    public void onUsage(TokenUsage usage) {
        events.record(usage);
    }

    @Override
    public void onComplete() {
        events.record(COMPLETE);
    }

    @Override
    public void onError(ServiceException error) {
        events.record(error);
    }

    /** Every event up to and including the terminal one (complete or error). */
    List<Object> untilTerminal() throws InterruptedException {
        return events.until(e -> e == COMPLETE || e instanceof ServiceException, Duration.ofSeconds(5));
    }

    Object next() throws InterruptedException {
        return events.next(Duration.ofSeconds(5));
    }
}
