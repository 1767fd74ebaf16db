package ai.piopiy.plugin.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ElevenLabsTtsProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("ELEVENLABS_API_KEY", "xi-env-key");

    @Test
    void isFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.id().equals("elevenlabs"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f).isInstanceOf(ElevenLabsTtsProviderFactory.class);
                    assertThat(f.kind()).isEqualTo(ProviderKind.TTS);
                    assertThat(f.secretKeys()).containsExactly("api_key");
                });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ElevenLabsTtsConfig config = ElevenLabsTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", Map.of(), ENV));
        assertThat(config.apiKey().reveal()).isEqualTo("xi-env-key");
        assertThat(config.apiKey().source()).isEqualTo("ELEVENLABS_API_KEY");
        assertThat(config.baseUrl()).isEqualTo("wss://api.elevenlabs.io");
        assertThat(config.voiceId()).isEqualTo("JBFqnCBsd6RMkjVDRZzb");
        assertThat(config.model()).isEqualTo("eleven_flash_v2_5");
        assertThat(config.language()).isEmpty();
        assertThat(config.stability()).isEmpty();
        assertThat(config.similarityBoost()).isEmpty();
        assertThat(config.style()).isEmpty();
        assertThat(config.useSpeakerBoost()).isEmpty();
        assertThat(config.speed()).isEqualTo(1.0);
        assertThat(config.chunkLengthSchedule()).isEmpty();
        assertThat(config.autoMode()).isFalse();
        assertThat(config.inactivityTimeoutSeconds()).isEqualTo(20);
        assertThat(config).usingRecursiveComparison().isEqualTo(ElevenLabsTtsConfig.of(config.apiKey()));
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "xi-manifest-key");
        values.put("base_url", "wss://elevenlabs.example/");
        values.put("voice_id", "21m00Tcm4TlvDq8ikWAM");
        values.put("model", "eleven_turbo_v2_5");
        values.put("language", "de");
        values.put("stability", 0.4);
        values.put("similarity_boost", "0.8");
        values.put("style", 0);
        values.put("use_speaker_boost", false);
        values.put("speed", 1.1);
        values.put("chunk_length_schedule", List.of(50, 120, 200));
        values.put("auto_mode", true);
        values.put("inactivity_timeout", 60);
        ProviderConfig provider = ProviderConfig.of("pipeline.tts", values, ENV);
        ElevenLabsTtsConfig config = ElevenLabsTtsProviderFactory.configOf(provider);
        assertThat(config).isEqualTo(new ElevenLabsTtsConfig(config.apiKey(), "wss://elevenlabs.example", "21m00Tcm4TlvDq8ikWAM",
                "eleven_turbo_v2_5", Optional.of("de"), Optional.of(0.4), Optional.of(0.8), Optional.of(0.0), Optional.of(false),
                1.1, List.of(50, 120, 200), true, 60));
        assertThat(config.apiKey().reveal()).isEqualTo("xi-manifest-key");
        assertThat(provider.unreadPaths()).isEmpty();
    }

    @Test
    void unknownAndMistypedSettingsNameTheirPath() throws Exception {
        ProviderConfig typo = ProviderConfig.of("pipeline.tts", Map.of("similarity", 0.5), ENV);
        try (RecordingProviderContext context = new RecordingProviderContext("elevenlabs", ENV);
                ElevenLabsTtsService service = new ElevenLabsTtsProviderFactory().create(typo, context)) {
            assertThat(service.name()).isEqualTo("elevenlabs");
        }
        assertThat(typo.unreadPaths()).containsExactly("pipeline.tts.similarity");

        assertThatThrownBy(() -> configOf(Map.of("stability", 1.5)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.stability: expected a number within 0.0..1.0");
        assertThatThrownBy(() -> configOf(Map.of("speed", 1.5)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.speed: expected a number within 0.7..1.2");
        assertThatThrownBy(() -> configOf(Map.of("use_speaker_boost", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.use_speaker_boost: expected a boolean");
        assertThatThrownBy(() -> configOf(Map.of("chunk_length_schedule", List.of(120, 20))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.tts.chunk_length_schedule[1]: expected an integer within 50..500, got 20");
        assertThatThrownBy(() -> configOf(Map.of("chunk_length_schedule", "120")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.chunk_length_schedule: expected a list");
        assertThatThrownBy(() -> configOf(Map.of("inactivity_timeout", 300)))
                .isInstanceOf(ConfigException.class).hasMessage("pipeline.tts.inactivity_timeout: expected seconds within 1..180, got 300");
        assertThatThrownBy(() -> configOf(Map.of("voice_id", " ")))
                .isInstanceOf(ConfigException.class).hasMessage("pipeline.tts.voice_id: must not be blank");
        assertThatThrownBy(() -> configOf(Map.of("base_url", "api.elevenlabs.io")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.base_url: expected a ws://");
    }

    @Test
    void aMissingKeyNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> ElevenLabsTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.tts.api_key: missing; set it in the manifest or in the environment variable ELEVENLABS_API_KEY");
    }

    @Test
    void theKeyNeverShowsInTheConfig() {
        ElevenLabsTtsConfig config = ElevenLabsTtsConfig.of(Secret.of("xi-secret"));
        assertThat(config.toString()).doesNotContain("xi-secret").contains("apiKey=****");
    }

    private static ElevenLabsTtsConfig configOf(Map<String, ?> values) {
        return ElevenLabsTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", values, ENV));
    }
}
