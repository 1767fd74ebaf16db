package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.Secret;

/**
 * How requests prove who they come from: a header put on every REST request and every gRPC call.
 * Finding its value may block (a token exchange), so callers ask from a blocking thread.
 */
public interface Authorization {

    /**
     * The header for the next request.
     *
     * @throws ServiceException when no credential can be had; fatal when retrying cannot help
     */
    Header header() throws InterruptedException;

    /** The server refused what {@link #header()} gave: forget it, so the next request gets a fresh one. */
    default void rejected() {}

    /** A header name and value; {@link #toString()} hides the value. */
    record Header(String name, String value) {
        public Header {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }

        @Override
        public String toString() {
            return name + ": ****";
        }
    }

    /** An API key, sent as {@code x-goog-api-key} (not in the URL, where proxies would log it). */
    static Authorization apiKey(Secret key) {
        requireNonNull(key, "key is null");
        Header header = new Header("x-goog-api-key", key.reveal());
        return () -> header;
    }
}
