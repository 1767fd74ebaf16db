package ai.piopiy.spi;

/**
 * A provider's service: shared by every call that uses it, so implementations are thread-safe.
 * Per-call state lives in the streams and sessions a service opens, never in the service itself.
 */
public interface Service extends AutoCloseable {

    /** A short name for logs and metrics, usually the provider id (e.g. {@code deepgram}). */
    String name();

    /** Releases what the service holds (sockets, native sessions). Called once, at runtime shutdown. */
    @Override
    default void close() {}
}
