package ai.piopiy.spi;

/**
 * A provider's service: shared by every call that uses it, so implementations are thread-safe.
 * Per-call state lives in the streams and sessions a service opens, never in the service itself.
 */
public interface Service extends AutoCloseable {

    /** A short name for logs and metrics, usually the provider id (e.g. {@code deepgram}). */
    String name();

    /**
     * Gets ready for the first call: loads what a call would otherwise wait for, a model say (LiveKit
     * Agents' {@code prewarm}). The runtime calls it once, on a thread of its own, after it is ready for
     * calls ({@code piopiy run}), or before it reports a manifest valid ({@code piopiy validate}), so
     * that this work stays out of the start-up. A call may still come first: the service then does the
     * work itself, or waits for this to finish. A service whose construction is cheap has nothing to do.
     *
     * @throws ServiceException when the service cannot work (a model that does not load); fatal ones
     *     make {@code validate} fail
     */
    default void prewarm() {}

    /** Releases what the service holds (sockets, native sessions). Called once, at runtime shutdown. */
    @Override
    default void close() {}
}
