package ai.piopiy.plugin.espeak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EspeakTtsProviderFactoryTest {

    @Test
    void isFoundThroughServiceLoader() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("espeak"))
                .toList();

        assertThat(found).singleElement().isInstanceOfSatisfying(EspeakTtsProviderFactory.class, factory -> {
            assertThat(factory.kind()).isEqualTo(ProviderKind.TTS);
            assertThat(factory.secretKeys()).isEmpty();
            assertThat(factory.description()).contains("eSpeak NG");
        });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", Map.of(), Map.of());
        EspeakTtsConfig config = EspeakTtsProviderFactory.config(settings);

        assertThat(config.binary()).isEqualTo("espeak-ng");
        assertThat(config.voice()).isEqualTo("en-us");
        assertThat(config.speed()).isEqualTo(165);
        assertThat(config.pitch()).isEqualTo(50);
        assertThat(config.chunk()).isEqualTo(Duration.ofMillis(20));
        assertThat(config).isEqualTo(EspeakTtsConfig.defaults());
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("binary", "/opt/espeak/bin/espeak-ng");
        values.put("voice", "en-gb+f3");
        values.put("speed", 180);
        values.put("pitch", "40");
        values.put("chunk_ms", 40);
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", values, Map.of());

        assertThat(EspeakTtsProviderFactory.config(settings))
                .isEqualTo(new EspeakTtsConfig("/opt/espeak/bin/espeak-ng", "en-gb+f3", 180, 40, Duration.ofMillis(40)));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void unknownSettingsAreLeftForTheRuntimeToReport() {
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", Map.of("rate", 1.2), Map.of());
        EspeakTtsProviderFactory.config(settings);

        assertThat(settings.unreadPaths()).containsExactly("pipeline.tts.rate");
    }

    @Test
    void wrongSettingsGivePathStyleErrors() {
        assertError(Map.of("speed", 20), "pipeline.tts.speed: expected 80..450, got 20");
        assertError(Map.of("pitch", 120), "pipeline.tts.pitch: expected 0..99, got 120");
        assertError(Map.of("pitch", "high"), "pipeline.tts.pitch: expected an integer but got the string \"high\"");
        assertError(Map.of("chunk_ms", 5), "pipeline.tts.chunk_ms: expected 10..200, got 5");
        assertError(Map.of("voice", "--stdin"), "pipeline.tts.voice: expected a voice name such as en-us, got \"--stdin\"");
        assertError(Map.of("binary", ""), "pipeline.tts.binary: must not be empty");
        assertError(Map.of("voice", 3), "pipeline.tts.voice: expected a string but got a number 3");
    }

    @Test
    void aMissingBinaryFailsCreation() {
        try (RecordingProviderContext context = new RecordingProviderContext("espeak")) {
            assertThatThrownBy(() -> new EspeakTtsProviderFactory().create(
                    ProviderConfig.of("pipeline.tts", Map.of("binary", "no-such-espeak-ng"), Map.of()), context))
                    .isInstanceOf(ServiceException.class)
                    .hasMessageContaining("install the Debian package espeak-ng");
        }
    }

    private static void assertError(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> EspeakTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", values, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
