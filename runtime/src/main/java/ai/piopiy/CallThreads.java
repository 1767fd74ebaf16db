package ai.piopiy;

import static java.util.Objects.requireNonNull;

/**
 * Threads that work for the current call. A {@link CallContext} is bound with a {@link ScopedValue},
 * which a thread started with {@code new Thread(...)} or a plain executor does NOT inherit: work that
 * needs {@link CallContext#require()} (or {@link Agent#acceptCall()}) on another thread must be started
 * here or wrapped with {@link #bind}.
 */
public final class CallThreads {

    private CallThreads() {}

    /** {@code task}, made to run with the current thread's call context bound (unchanged if there is none). */
    public static Runnable bind(Runnable task) {
        requireNonNull(task, "task is null");
        return CallContext.current().<Runnable>map(context -> () -> context.runWith(task)).orElse(task);
    }

    /** Starts a virtual thread that runs {@code task} for the current thread's call. */
    public static Thread startVirtualThread(String name, Runnable task) {
        requireNonNull(name, "name is null");
        return Thread.ofVirtual().name(name).start(bind(task));
    }
}
