package ai.piopiy.spi.frame;

import static java.util.Objects.requireNonNull;

/**
 * Something failed. Travels upstream towards the pipeline's driver; a fatal error ends the call it
 * happened in, and only that call.
 */
public record ErrorFrame(String source, String message, Throwable cause, boolean fatal) implements SystemFrame {
    public ErrorFrame {
        requireNonNull(source, "source is null");
        requireNonNull(message, "message is null");
    }
}
