package ai.piopiy.runtime.pipeline.internal;

import ai.piopiy.CallContext;
import ai.piopiy.spi.frame.DataFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.SystemFrame;
import ai.piopiy.runtime.pipeline.FrameDirection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serialises all of one call's processing, without a thread of its own.
 *
 * <p>Whoever hands work to an idle lane runs it right away on its own thread (a transport's reader,
 * a timer, a provider's callback thread): no queue, no park/unpark, no hop. Work arriving while the
 * lane is busy is queued and run by the thread that holds the lane before it lets go. Work that a
 * processor hands over while it runs on the lane is queued too, so a processor's method never
 * re-enters. System frames queue apart and overtake queued data.
 *
 * <p>This is what keeps a call's hot path (caller audio through VAD and STT) free of thread hops,
 * while processors that wait on the network never block the lane: they return and post their
 * results back.
 */
public final class CallLane {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallLane.class);

    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Object> systemQueue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final CallContext callContext;
    private volatile boolean closed;

    public CallLane(CallContext callContext) {
        this.callContext = callContext;
    }

    /** Work item: push {@code frame} onwards from {@code from}, in {@code direction}; {@code seq} orders arrivals. */
    record Delivery(Node from, Frame frame, FrameDirection direction, long seq) {}

    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    /** The arrival number of the queued delivery being run, or MAX_VALUE for work run as it arrived. */
    private long runningSeq = Long.MAX_VALUE;
    private Frame runningFrame;

    void submit(Node from, Frame frame, FrameDirection direction) {
        if (closed) {
            return;
        }
        Thread me = Thread.currentThread();
        if (owner.get() != me && systemQueue.isEmpty() && queue.isEmpty() && owner.compareAndSet(null, me)) {
            // idle lane: run inline on the caller's thread
            try {
                runOwned(from, frame, direction);
            } finally {
                release();
            }
            return;
        }
        enqueue(new Delivery(from, frame, direction, sequence.incrementAndGet()), frame instanceof SystemFrame);
        if (owner.get() != me) {
            tryDrain();
        }
    }

    public void post(Runnable task) {
        if (closed) {
            return;
        }
        enqueue(task, false);
        if (owner.get() != Thread.currentThread()) {
            tryDrain();
        }
    }

    /**
     * Drops queued data frames headed downstream past {@code fromIndex}: an interruption started
     * there. Only frames that arrived before the interruption go; a system frame overtakes the queue,
     * but what was sent after it (the caller's next words) must survive it.
     */
    void dropQueuedData(int fromIndex, Frame interruption) {
        // an interruption that arrived through the queue bounds what it drops by its own arrival;
        // one a processor decided on just now drops everything queued so far
        long before = interruption == runningFrame ? runningSeq : Long.MAX_VALUE;
        queue.removeIf(item -> item instanceof Delivery d
                && d.seq() < before
                && d.direction() == FrameDirection.DOWNSTREAM
                && d.frame() instanceof DataFrame
                && d.from().index >= fromIndex);
    }

    void close() {
        closed = true;
        systemQueue.clear();
        queue.clear();
    }

    boolean isClosed() {
        return closed;
    }

    public boolean isOnLane() {
        return owner.get() == Thread.currentThread();
    }

    private void enqueue(Object item, boolean system) {
        (system ? systemQueue : queue).add(item);
    }

    private void tryDrain() {
        Thread me = Thread.currentThread();
        while ((!systemQueue.isEmpty() || !queue.isEmpty()) && owner.compareAndSet(null, me)) {
            try {
                runOwned(null, null, null);
            } finally {
                owner.set(null);
            }
        }
    }

    private void release() {
        owner.set(null);
        // work queued by others after our last poll, before we let go
        if (!systemQueue.isEmpty() || !queue.isEmpty()) {
            tryDrain();
        }
    }

    private void runOwned(Node from, Frame frame, FrameDirection direction) {
        if (callContext != null && !callContext.isCurrent()) {
            callContext.runWith(() -> drain(from, frame, direction));
        } else {
            drain(from, frame, direction);
        }
    }

    private void drain(Node from, Frame frame, FrameDirection direction) {
        if (frame != null) {
            from.push(frame, direction);
        }
        Object item;
        while (!closed && ((item = systemQueue.poll()) != null || (item = queue.poll()) != null)) {
            if (item instanceof Delivery d) {
                runningSeq = d.seq();
                runningFrame = d.frame();
                try {
                    d.from().push(d.frame(), d.direction());
                } finally {
                    runningSeq = Long.MAX_VALUE;
                    runningFrame = null;
                }
            } else {
                try {
                    ((Runnable) item).run();
                } catch (RuntimeException e) {
                    log.warn("a task on the call lane failed", e);
                }
            }
        }
    }
}
