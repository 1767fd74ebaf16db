package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

/**
 * One problem in a manifest.
 *
 * @param path where it is, as a JSON path ({@code pipeline.tts.switch.services.spanish.voice});
 *     empty for problems of the file as a whole (it is not JSON)
 * @param message what is wrong there, without the path
 */
public record ManifestError(String path, String message) {

    public ManifestError {
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
