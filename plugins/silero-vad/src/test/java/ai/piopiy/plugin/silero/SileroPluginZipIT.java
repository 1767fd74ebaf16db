package ai.piopiy.plugin.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
            float[] fresh;
            try (VadService service = (VadService) factory.create(ProviderConfig.of("pipeline.vad", Map.of(), Map.of()), context);
                    VadSession session = service.openSession(16_000)) {
                assertThat(service.getClass().getClassLoader()).isSameAs(plugin.loader());
                assertThat(session.speechProbability(new short[512])).isBetween(0f, 0.1f);
                fresh = probabilities(session);
                // the next start loads ONNX Runtime's libraries from here instead of unpacking them again
                assertThat(dir.resolve("native")).isDirectoryRecursivelyContaining("glob:**/" + System.mapLibraryName("onnxruntime"))
                        .isDirectoryRecursivelyContaining("glob:**/" + System.mapLibraryName("onnxruntime4j_jni"));
            }
            // the optimised model the first service cached: the next one loads it and hears exactly the same
            assertThat(dir.resolve("native")).isDirectoryRecursivelyContaining("glob:**/models/*.extended.onnx");
            try (VadService service = (VadService) factory.create(ProviderConfig.of("pipeline.vad", Map.of(), Map.of()), context);
                    VadSession session = service.openSession(16_000)) {
                assertThat(session.speechProbability(new short[512])).isBetween(0f, 0.1f);
                assertThat(probabilities(session)).containsExactly(fresh, within(1e-4f));
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    /** The speech probability of each 32 ms window of a 300 Hz tone whose loudness rises and falls. */
    private static float[] probabilities(VadSession session) {
        float[] out = new float[40];
        short[] window = new short[512];
        for (int w = 0; w < out.length; w++) {
            double loudness = Math.sin(Math.PI * w / out.length);
            for (int i = 0; i < window.length; i++) {
                window[i] = (short) (12_000 * loudness * Math.sin(2 * Math.PI * 300 * (w * 512 + i) / 16_000.0));
            }
            out[w] = session.speechProbability(window);
        }
        return out;
    }
}
