package ai.piopiy.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The core of a recording listener for provider tests: keeps a provider's callbacks in order, notices
 * when two of them overlap (the SPI promises one at a time) and lets a test wait for them.
 */
public final class CallbackRecorder {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicInteger recorded = new AtomicInteger();

    /** Called by the listener's callbacks with what they received. */
    public void record(Object event) {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
        events.add(event);
        recorded.incrementAndGet();
        inCall.set(false);
    }

    /** The next event; fails when none comes within {@code timeout}. */
    public Object next(Duration timeout) throws InterruptedException {
        Object event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new AssertionError("no callback within " + timeout);
        }
        return event;
    }

    /** The events up to and including the first {@code terminal} one; each must come within {@code timeout}. */
    public List<Object> until(Predicate<Object> terminal, Duration timeout) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        while (true) {
            Object event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no callback within " + timeout + " after " + out.size() + " events");
            }
            out.add(event);
            if (terminal.test(event)) {
                return out;
            }
        }
    }

    /** How many events were recorded so far, taken by the test or not. */
    public int recorded() {
        return recorded.get();
    }

    /** Fails when any event beyond the first {@code count} is recorded within {@code millis}. */
    public void assertNothingAfter(int count, long millis) throws InterruptedException {
        Thread.sleep(millis);
        if (recorded.get() != count) {
            throw new AssertionError((recorded.get() - count) + " callbacks after the first " + count);
        }
    }

    /** True when two callbacks ever ran at the same time. */
    public boolean overlapped() {
        return overlapped.get();
    }
}
