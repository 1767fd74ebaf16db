package ai.piopiy.plugin.silero;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;
import ai.piopiy.testing.RecordingProviderContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip, loaded the way a plugin host loads it: its own class loader over lib/*.jar,
 * seeing only the SPI and slf4j from the host. Proves the zip is complete (model, ONNX Runtime and
 * its native library) and bundles neither the SPI nor slf4j.
 */
class SileroPluginZipIT {

    @Test
    void thePluginZipRunsInItsOwnClassLoader(@TempDir Path dir) throws Exception {
        Path zip = Path.of(System.getProperty("silero.plugin.zip"));
        List<String> entries = unzip(zip, dir);
        assertThat(entries).contains("plugin.properties").anyMatch(e -> e.matches("lib/onnxruntime-[0-9.]+\\.jar"))
                .noneMatch(e -> e.contains("piopiy-spi") || e.contains("slf4j"));
        assertThat(Files.readString(dir.resolve("plugin.properties"))).contains("plugin.id=silero");

        List<URL> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(dir.resolve("lib"))) {
            for (Path jar : lib.toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        ClassLoader host = SileroPluginZipIT.class.getClassLoader();
        ClassLoader spiOnly = new ClassLoader("spi-only", ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("ai.piopiy.spi.") || name.startsWith("org.slf4j.")) {
                    return host.loadClass(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        try (URLClassLoader plugin = new URLClassLoader("silero-plugin", jars.toArray(URL[]::new), spiOnly);
                RecordingProviderContext context = new RecordingProviderContext("silero")) {
            ProviderFactory factory = ServiceLoader.load(ProviderFactory.class, plugin).stream()
                    .map(ServiceLoader.Provider::get).filter(f -> f.id().equals("silero")).findFirst().orElseThrow();
            assertThat(factory.getClass().getClassLoader()).isSameAs(plugin);
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(plugin);
            try (VadService service = (VadService) factory.create(ProviderConfig.of("pipeline.vad", Map.of(), Map.of()), context);
                    VadSession session = service.openSession(16_000)) {
                assertThat(service.getClass().getClassLoader()).isSameAs(plugin);
                assertThat(session.speechProbability(new short[512])).isBetween(0f, 0.1f);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    private static List<String> unzip(Path zip, Path into) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the zip's root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return names;
    }
}
