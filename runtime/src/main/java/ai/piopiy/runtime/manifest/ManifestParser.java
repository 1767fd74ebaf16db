package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.manifest.internal.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Parses a manifest into an immutable {@link AgentManifest}, after substituting {@code ${ENV}}
 * references in string values. Checks the manifest's own structure; provider settings are checked
 * by the providers when {@link CallAssembler} creates the services.
 */
public final class ManifestParser {

    private ManifestParser() {}

    /** @throws ManifestException listing every problem found */
    public static AgentManifest parse(Path file, Map<String, String> environment) {
        return parse(file.getFileName().toString(), read(file), environment);
    }

    /**
     * @param source the manifest's name in messages (its file name)
     * @throws ManifestException listing every problem found
     */
    public static AgentManifest parse(String source, String json, Map<String, String> environment) {
        requireNonNull(source, "source is null");
        ManifestReader.Outcome outcome = ManifestReader.read(json, environment);
        return outcome.manifest().orElseThrow(() -> new ManifestException(source, outcome.errors()));
    }

    static String read(Path file) {
        requireNonNull(file, "file is null");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ManifestException(file.getFileName().toString(),
                    List.of(new ManifestError("", "cannot read " + file + ": " + e.getMessage())));
        }
    }
}
