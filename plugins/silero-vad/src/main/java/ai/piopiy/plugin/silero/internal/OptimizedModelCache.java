package ai.piopiy.plugin.silero.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Where ONNX Runtime's optimised form of a model is kept between starts. Optimising the Silero graph
 * takes ONNX Runtime about 100 ms at every start, most of the VAD's start-up; a model it optimised
 * before loads in a third of that and runs as fast. The cached form is the "extended" level, which
 * ONNX Runtime documents as portable across machines (the layout optimisations above it are
 * applied again at load, quickly, for the machine at hand). One file per model content, so another
 * model or version never picks up a stale one.
 */
public final class OptimizedModelCache {

    private final Path file;

    private OptimizedModelCache(Path file) {
        this.file = file;
    }

    /** The cache entry of {@code model} in {@code directory}. */
    public static OptimizedModelCache of(Path directory, byte[] model) {
        requireNonNull(directory, "directory is null");
        requireNonNull(model, "model is null");
        // CRC-32 and length, not a cryptographic digest: this only tells models apart in a cache we write
        // ourselves, and zlib's CRC is native while SHA-256 runs as interpreted Java at start-up (100 ms
        // for the 2 MB Silero model, measured: the largest part of the VAD's start).
        CRC32 crc = new CRC32();
        crc.update(model);
        String key = Long.toHexString(model.length) + "-" + String.format("%08x", crc.getValue());
        return new OptimizedModelCache(directory.resolve("models").resolve(key + ".extended.onnx"));
    }

    /** The optimised model, when an earlier start left a complete one. */
    public boolean present() {
        return Files.isRegularFile(file);
    }

    public Path file() {
        return file;
    }

    /**
     * A fresh path for ONNX Runtime to write the optimised model to while it loads the original; {@link
     * #commit(Path)} then moves it into place, so a start never reads a half-written file.
     */
    public Path newPartial() throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
        // ONNX Runtime writes the file itself; an empty placeholder would be taken for its output
        Files.delete(partial);
        return partial;
    }

    /** Moves a written partial into place (or removes it when ONNX Runtime wrote nothing). */
    public void commit(Path partial) throws IOException {
        if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
            Files.deleteIfExists(partial);
            return;
        }
        OnnxNativeCache.moveIntoPlace(partial, file);
    }

    /** Forgets a cached model that ONNX Runtime could not load. */
    public void discard() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next start tries it again and fails over to the original the same way
        }
    }
}
