package ai.piopiy.plugin.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.VadProviderFactory;
import ai.piopiy.spi.vad.VadSession;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SileroVadProviderFactoryTest {

    private static final String PATH = "pipeline.vad";

    @Test
    void serviceLoaderFindsTheFactory() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("silero"))
                .toList();
        assertThat(found).hasSize(1);
        ProviderFactory factory = found.getFirst();
        assertThat(factory).isInstanceOf(VadProviderFactory.class);
        assertThat(factory.kind()).isEqualTo(ProviderKind.VAD);
        assertThat(factory.description()).contains("Silero VAD v5");
        assertThat(factory.secretKeys()).isEmpty();
    }

    @Test
    void defaults() {
        assertThat(SileroVadConfig.DEFAULTS.threads()).isEqualTo(1);
        assertThat(SileroVadConfig.DEFAULTS.modelPath()).isNull();
        assertThat(SileroVadProviderFactory.config(config(Map.of()))).isEqualTo(SileroVadConfig.DEFAULTS);
    }

    @Test
    void fullMapping() {
        String model = System.getProperty("silero.model.file");
        ProviderConfig config = config(Map.of("threads", "2", "model_path", model));
        assertThat(SileroVadProviderFactory.config(config)).isEqualTo(new SileroVadConfig(2, Path.of(model)));
        assertThat(config.unreadPaths()).isEmpty();
    }

    @Test
    void createMakesAWorkingServiceAndReadsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("threads", 1);
        values.put("treshold", 0.5);
        ProviderConfig config = config(values);
        try (RecordingProviderContext context = new RecordingProviderContext("silero");
                SileroVadService service = new SileroVadProviderFactory().create(config, context);
                VadSession session = service.openSession(16_000)) {
            assertThat(service.name()).isEqualTo("silero");
            assertThat(service.config()).isEqualTo(SileroVadConfig.DEFAULTS);
            assertThat(session.speechProbability(new short[512])).isBetween(0f, 0.1f);
        }
        assertThat(config.unreadPaths()).as("the runtime reports these as unknown").containsExactly(PATH + ".treshold");
    }

    @Test
    void mistypedSettingsNameTheirPath() {
        assertThatThrownBy(() -> SileroVadProviderFactory.config(config(Map.of("threads", "many"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(PATH + ".threads: expected an integer");
        assertThatThrownBy(() -> SileroVadProviderFactory.config(config(Map.of("threads", 0))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(PATH + ".threads: expected an integer within 1..64, got 0");
        assertThatThrownBy(() -> SileroVadProviderFactory.config(config(Map.of("model_path", 42))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(PATH + ".model_path: expected a string");
        assertThatThrownBy(() -> SileroVadProviderFactory.config(config(Map.of("model_path", "/nowhere/silero.onnx"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo(PATH + ".model_path"))
                .hasMessageContaining("no readable file at /nowhere/silero.onnx");
    }

    @Test
    void theConfigRecordChecksItsThreads() {
        assertThatThrownBy(() -> new SileroVadConfig(0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads must be within 1..64");
        assertThat(SileroVadConfig.DEFAULTS.withThreads(4).threads()).isEqualTo(4);
    }

    private static ProviderConfig config(Map<String, ?> values) {
        return ProviderConfig.of(PATH, values, Map.of());
    }
}
