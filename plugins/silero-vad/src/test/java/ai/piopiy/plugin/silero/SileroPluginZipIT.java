package ai.piopiy.plugin.silero;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                RecordingProviderContext context = new RecordingProviderContext("silero")) {
            ProviderFactory factory = plugin.checkPlugin("silero", ProviderKind.VAD, List.of("onnxruntime-"), "silero").getFirst();
            assertThat(plugin.libraries()).anyMatch(jar -> jar.matches("onnxruntime-[0-9.]+\\.jar"));
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(plugin.loader());
            try (VadService service = (VadService) factory.create(ProviderConfig.of("pipeline.vad", Map.of(), Map.of()), context);
                    VadSession session = service.openSession(16_000)) {
                assertThat(service.getClass().getClassLoader()).isSameAs(plugin.loader());
                assertThat(session.speechProbability(new short[512])).isBetween(0f, 0.1f);
                // the next start loads ONNX Runtime's libraries from here instead of unpacking them again
                assertThat(dir.resolve("native")).isDirectoryRecursivelyContaining("glob:**/" + System.mapLibraryName("onnxruntime"))
                        .isDirectoryRecursivelyContaining("glob:**/" + System.mapLibraryName("onnxruntime4j_jni"));
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }
}
