package ai.piopiy.spi.provider;

import static java.util.Objects.requireNonNull;

/** A setting is missing, mistyped or out of range. The message starts with the setting's JSON path. */
public class ConfigException extends RuntimeException {

    private final String path;
    private final String problem;

    public ConfigException(String path, String problem) {
        super(requireNonNull(path, "path is null") + ": " + requireNonNull(problem, "problem is null"));
        this.path = path;
        this.problem = problem;
    }

    /** Where the problem is, as a JSON path ({@code pipeline.stt.model}). */
    public String path() {
        return path;
    }

    /** What is wrong, without the path. */
    public String problem() {
        return problem;
    }
}
