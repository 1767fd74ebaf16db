package ai.piopiy.plugin.silero.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxNativeCacheTest {

    private static final String RESOURCE = "ai/onnxruntime/native/linux-x64/libonnxruntime.so";

    @Test
    void unpacksOnceAndReusesACompleteCopy(@TempDir Path dir) throws Exception {
        byte[] library = new byte[100_000];
        new Random(7).nextBytes(library);
        try (URLClassLoader loader = loaderOver(jarWith(dir, library))) {
            Path target = dir.resolve("native/libonnxruntime.so");
            OnnxNativeCache.unpack(loader, RESOURCE, target);
            assertThat(target).hasBinaryContent(library);

            FileTime written = FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(target, written);
            OnnxNativeCache.unpack(loader, RESOURCE, target);
            assertThat(Files.getLastModifiedTime(target)).as("a complete copy is not written again").isEqualTo(written);
            try (var left = Files.list(target.getParent())) {
                assertThat(left).as("no temporary file is left behind").containsExactly(target);
            }
        }
    }

    @Test
    void replacesATruncatedCopy(@TempDir Path dir) throws Exception {
        byte[] library = new byte[50_000];
        new Random(11).nextBytes(library);
        try (URLClassLoader loader = loaderOver(jarWith(dir, library))) {
            Path target = dir.resolve("native/libonnxruntime.so");
            Files.createDirectories(target.getParent());
            Files.write(target, new byte[1_000]);
            OnnxNativeCache.unpack(loader, RESOURCE, target);
            assertThat(target).hasBinaryContent(library);
        }
    }

    @Test
    void aMissingResourceIsAnError(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = loaderOver(jarWith(dir, new byte[10]))) {
            assertThatThrownBy(() -> OnnxNativeCache.unpack(loader, "ai/onnxruntime/native/none/lib.so", dir.resolve("x.so")))
                    .isInstanceOf(IOException.class).hasMessageContaining("no resource");
            assertThat(dir.resolve("x.so")).doesNotExist();
        }
    }

    @Test
    void namesThePlatformsOnnxRuntimeShips() {
        String arch = System.getProperty("os.arch");
        if (System.getProperty("os.name").startsWith("Linux") && arch.equals("amd64")) {
            assertThat(OnnxNativeCache.platform()).contains("linux-x64");
        } else {
            assertThat(OnnxNativeCache.platform()).isPresent();
        }
    }

    private static Path jarWith(Path dir, byte[] library) throws IOException {
        Path jar = dir.resolve("lib/onnxruntime-test.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(RESOURCE));
            out.write(library);
            out.closeEntry();
        }
        return jar;
    }

    private static URLClassLoader loaderOver(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }
}
