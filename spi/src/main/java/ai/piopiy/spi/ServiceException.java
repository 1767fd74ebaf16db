package ai.piopiy.spi;

import static java.util.Objects.requireNonNull;

/**
 * A failure reported by a provider. The message is shown to users and logged: it must say what went
 * wrong in words an operator can act on, and it must never contain a secret (API key, token).
 */
public class ServiceException extends RuntimeException {

    private final String service;
    private final boolean fatal;

    public ServiceException(String service, String message) {
        this(service, message, false, null);
    }

    public ServiceException(String service, String message, Throwable cause) {
        this(service, message, false, cause);
    }

    /**
     * @param fatal true when the call cannot go on without this service (for example rejected
     *     credentials); a fatal error ends only the call it happened in
     */
    public ServiceException(String service, String message, boolean fatal, Throwable cause) {
        super(requireNonNull(service, "service is null") + ": " + requireNonNull(message, "message is null"), cause);
        this.service = service;
        this.fatal = fatal;
    }

    public String service() {
        return service;
    }

    public boolean fatal() {
        return fatal;
    }
}
