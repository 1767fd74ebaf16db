package ai.piopiy.spi.provider;

import static java.util.Objects.requireNonNull;

/**
 * A secret setting (an API key). {@link #toString()} never shows it, so a secret that ends up in a log
 * line or an exception message shows as {@code ****}. Only {@link #reveal()} gives the value, at
 * the place it is put on the wire.
 */
public final class Secret {

    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = requireNonNull(value, "value is null");
        this.source = requireNonNull(source, "source is null");
    }

    public static Secret of(String value) {
        return new Secret(value, "code");
    }

    public static Secret of(String value, String source) {
        return new Secret(value, source);
    }

    public String reveal() {
        return value;
    }

    /** Where the value came from (a manifest path or an environment variable name), for messages. */
    public String source() {
        return source;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return "****";
    }
}
