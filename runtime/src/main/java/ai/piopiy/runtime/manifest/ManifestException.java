package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest is wrong; {@link #errors()} holds every problem found, not just the first. */
public final class ManifestException extends RuntimeException {

    private final String source;
    private final List<ManifestError> errors;

    public ManifestException(String source, List<ManifestError> errors) {
        super(message(source, errors));
        this.source = requireNonNull(source, "source is null");
        this.errors = List.copyOf(errors);
        if (this.errors.isEmpty()) {
            throw new IllegalArgumentException("a ManifestException needs at least one error");
        }
    }

    /** The manifest's file name (or another name for where it came from). */
    public String source() {
        return source;
    }

    public List<ManifestError> errors() {
        return errors;
    }

    private static String message(String source, List<ManifestError> errors) {
        return source + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}
