package ai.piopiy.runtime.pipeline;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all calls in a process share: one scheduler for every call's timers (a thousand calls do not
 * need a thousand timer threads) and a virtual-thread executor for blocking work such as tool handlers.
 */
public final class EngineResources {

    private static final class Holder {
        static final EngineResources SHARED = new EngineResources(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    }

    private final ScheduledExecutorService scheduler;
    private final ExecutorService blockingExecutor;

    public EngineResources(int schedulerThreads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "piopiy-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(schedulerThreads, factory);
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.blockingExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("piopiy-task-", 0).factory());
    }

    /** The process-wide resources (daemon threads, never shut down). */
    public static EngineResources shared() {
        return Holder.SHARED;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public ExecutorService blockingExecutor() {
        return blockingExecutor;
    }

    /** Stops the threads of resources made with the constructor (never call it on {@link #shared()}). */
    public void shutdown() {
        if (this == Holder.SHARED) {
            throw new IllegalStateException("the shared engine resources live as long as the process");
        }
        scheduler.shutdownNow();
        blockingExecutor.shutdownNow();
    }
}
