package ai.piopiy.plugin.llmhttp.testing;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what an LLM stream delivers and checks the listener contract as it goes: one callback at
 * a time, nothing after the terminal callback. Violations are recorded and fail {@link #events()}.
 */
public final class RecordingListener implements LlmListener {

    private final List<Object> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final CountDownLatch terminal = new CountDownLatch(1);
    private final CountDownLatch firstText = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean done;

    @Override
    public void onText(String text) {
        record(text);
        firstText.countDown();
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
        record(Terminal.COMPLETE);
        done = true;
        terminal.countDown();
    }

    @Override
    public void onError(ServiceException error) {
        record(error);
        done = true;
        terminal.countDown();
    }

    private void record(Object event) {
        if (inside.incrementAndGet() != 1) {
            violation("two callbacks at once");
        }
        synchronized (this) {
            if (done) {
                violation("callback after the terminal one: " + event);
            }
            events.add(event);
        }
        inside.decrementAndGet();
    }

    private synchronized void violation(String what) {
        violations.add(what);
    }

    /** Waits for onComplete or onError; fails the test when neither comes in time. */
    public RecordingListener awaitTerminal() throws InterruptedException {
        if (!terminal.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no terminal callback within 10 s; got " + events());
        }
        return this;
    }

    public boolean awaitFirstText(Duration timeout) throws InterruptedException {
        return firstText.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Everything delivered, in order: strings (text), ToolCall, TokenUsage, Terminal.COMPLETE, ServiceException. */
    public synchronized List<Object> events() {
        if (!violations.isEmpty()) {
            throw new AssertionError("listener contract broken: " + violations);
        }
        return List.copyOf(events);
    }

    public synchronized String text() {
        StringBuilder out = new StringBuilder();
        for (Object e : events()) {
            if (e instanceof String s) {
                out.append(s);
            }
        }
        return out.toString();
    }

    public synchronized List<ToolCall> toolCalls() {
        return events().stream().filter(ToolCall.class::isInstance).map(ToolCall.class::cast).toList();
    }

    public synchronized ServiceException error() {
        return events().stream().filter(ServiceException.class::isInstance).map(ServiceException.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no error; got " + events));
    }

    public synchronized boolean completed() {
        return events().contains(Terminal.COMPLETE);
    }

    public enum Terminal {
        COMPLETE
    }
}
