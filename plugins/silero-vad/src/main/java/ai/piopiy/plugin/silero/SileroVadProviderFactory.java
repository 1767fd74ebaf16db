package ai.piopiy.plugin.silero;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.VadProviderFactory;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code silero} VAD provider. Settings: {@code threads} (ONNX Runtime intra-op threads,
 * default 1) and {@code model_path} (a Silero VAD v5 ONNX file instead of the bundled model).
 */
public final class SileroVadProviderFactory implements VadProviderFactory {

    @Override
    public String id() {
        return SileroVadService.NAME;
    }

    @Override
    public String description() {
        return "Silero VAD v5 on ONNX Runtime, in process (8 and 16 kHz)";
    }

    @Override
    public SileroVadService create(ProviderConfig config, ProviderContext context) {
        SileroVadConfig vadConfig = config(config);
        SileroVadService service = new SileroVadService(vadConfig);
        context.logger().info("Silero VAD v5 from {}, {} intra-op thread(s); ONNX Runtime loads it before the first call",
                vadConfig.modelPath() == null ? "the plugin" : vadConfig.modelPath(), vadConfig.threads());
        return service;
    }

    static SileroVadConfig config(ProviderConfig config) {
        int threads = config.integer("threads", SileroVadConfig.DEFAULTS.threads());
        if (threads < 1 || threads > SileroVadConfig.MAX_THREADS) {
            throw new ConfigException(config.pathOf("threads"),
                    "expected an integer within 1.." + SileroVadConfig.MAX_THREADS + ", got " + threads);
        }
        Path modelPath = config.optionalString("model_path").map(p -> modelPath(config, p)).orElse(null);
        return new SileroVadConfig(threads, modelPath);
    }

    private static Path modelPath(ProviderConfig config, String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(config.pathOf("model_path"), "not a valid path: " + e.getMessage());
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigException(config.pathOf("model_path"), "no readable file at " + path.toAbsolutePath());
        }
        return path;
    }
}
