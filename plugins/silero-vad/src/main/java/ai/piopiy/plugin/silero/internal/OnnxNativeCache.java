package ai.piopiy.plugin.silero.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps ONNX Runtime's native libraries unpacked next to the plugin, so a start loads them from
 * there instead of inflating them again. Left alone, ONNX Runtime copies its 28 MB library out of
 * its jar into a temporary file on every start: about a quarter of a second of a runtime start-up.
 *
 * <p>The cache is a directory beside the plugin's {@code lib/} (writable: the runtime expands
 * plugins there), named after the ONNX Runtime jar and the platform, and handed to ONNX Runtime
 * through its documented {@code onnxruntime.native.path} property. It is used only when ONNX Runtime
 * is loaded from a jar in a plugin's {@code lib/} and the operator has not set that property;
 * otherwise ONNX Runtime does what it always does.
 */
public final class OnnxNativeCache {

    /** ONNX Runtime's property: the directory to load its native libraries from. */
    static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    private static final String RESOURCE_ROOT = "ai/onnxruntime/native/";

    private OnnxNativeCache() {}

    /**
     * Unpacks the libraries if needed and points ONNX Runtime at them. Call before ONNX Runtime is
     * first used; any problem leaves ONNX Runtime to its own loading (so at worst a start is slower).
     *
     * @param anchor a class of the ONNX Runtime jar (its loader has the native resources)
     */
    public static Optional<Path> prepare(Class<?> anchor) {
        requireNonNull(anchor, "anchor is null");
        if (System.getProperty(NATIVE_PATH_PROPERTY) != null) {
            return Optional.empty();
        }
        Optional<String> platform = platform();
        Optional<Path> cache = directory(anchor);
        if (platform.isEmpty() || cache.isEmpty()) {
            return Optional.empty();
        }
        Path dir = cache.get().resolve(platform.get());
        try {
            for (String library : List.of("onnxruntime", "onnxruntime4j_jni")) {
                unpack(anchor.getClassLoader(), RESOURCE_ROOT + platform.get() + "/" + System.mapLibraryName(library),
                        dir.resolve(System.mapLibraryName(library)));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        System.setProperty(NATIVE_PATH_PROPERTY, dir.toString());
        return Optional.of(dir);
    }

    /**
     * The plugin's cache directory for this ONNX Runtime: {@code native/<its jar's name>/} beside the
     * plugin's {@code lib/}; empty when ONNX Runtime was not loaded from a plugin's {@code lib/}.
     */
    public static Optional<Path> directory(Class<?> anchor) {
        Optional<Path> jar = jarOf(requireNonNull(anchor, "anchor is null"));
        if (jar.isEmpty() || !jar.get().getParent().getFileName().toString().equals("lib")) {
            return Optional.empty();
        }
        String jarName = jar.get().getFileName().toString();
        return Optional.of(jar.get().getParent().resolveSibling("native").resolve(jarName.substring(0, jarName.length() - ".jar".length())));
    }

    /** Copies {@code resource} to {@code target} unless a complete copy is there already. */
    static void unpack(ClassLoader loader, String resource, Path target) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IOException("no resource " + resource);
        }
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        long size = connection instanceof JarURLConnection jarConnection ? jarConnection.getJarEntry().getSize()
                : connection.getContentLengthLong();
        if (size > 0 && Files.isRegularFile(target) && Files.size(target) == size) {
            return;
        }
        Files.createDirectories(target.getParent());
        // a private temporary name, then a rename: a concurrent start never loads a half-written file
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            moveIntoPlace(partial, target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Replaces {@code target} with {@code partial} in one step where the file system can, so no reader sees half a file. */
    static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** ONNX Runtime's name for this platform's resource folder, as its jar lays them out. */
    static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : null;
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        return osPart == null || archPart == null ? Optional.empty() : Optional.of(osPart + "-" + archPart);
    }

    private static Optional<Path> jarOf(Class<?> anchor) {
        try {
            var source = anchor.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar") && path.getParent() != null
                    ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
