package ai.piopiy.runtime.plugin.internal;

import static java.util.Objects.requireNonNull;

/**
 * Sets the current thread's context class loader for a try-with-resources block and restores the
 * previous one on close. Libraries inside a plugin (JSON mappers, gRPC, ONNX) look classes up through
 * the context class loader; without this they would see the host's class path instead of the plugin's.
 */
public final class ThreadContextClassLoader implements AutoCloseable {

    private final Thread thread;
    private final ClassLoader previous;

    public ThreadContextClassLoader(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        this.thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
    }

    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
