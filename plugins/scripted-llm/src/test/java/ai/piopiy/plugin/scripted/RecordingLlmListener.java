package ai.piopiy.plugin.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records a completion's events in order: text pieces (Strings), tool calls, usage, "complete", errors. */
final class RecordingLlmListener implements LlmListener {

    static final String COMPLETE = "complete";

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();

    @Override
    public void onText(String text) {
        record(text);
    }

    @Override
    public void onToolCall(ToolCall call) {
        record(call);
    }

    @Override
    public void onUsage(TokenUsage usage) {
        record(usage);
    }

    @Override
    public void onComplete() {
        record(COMPLETE);
    }

    @Override
    public void onError(ServiceException error) {
        record(error);
    }

    /** Every event up to and including the terminal one (complete or error), failing after 5 s. */
    List<Object> untilTerminal() throws InterruptedException {
        List<Object> out = new ArrayList<>();
        while (true) {
            Object event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("an event within 5 s after " + out).isNotNull();
            out.add(event);
            if (event == COMPLETE || event instanceof ServiceException) {
                return out;
            }
        }
    }

    /** The next event, failing the test if none comes within 5 s. */
    Object next() throws InterruptedException {
        Object event = events.poll(5, TimeUnit.SECONDS);
        assertThat(event).as("an event within 5 s").isNotNull();
        return event;
    }

    void assertQuietFor(long millis) throws InterruptedException {
        assertThat(events.poll(millis, TimeUnit.MILLISECONDS)).isNull();
    }

    boolean overlapped() {
        return overlapped.get();
    }

    private void record(Object event) {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
        events.add(event);
        inCall.set(false);
    }
}
