package ai.piopiy.plugin.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CartesiaTtsProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("CARTESIA_API_KEY", "sk_car_env-key");

    @Test
    void isFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.id().equals("cartesia"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f).isInstanceOf(CartesiaTtsProviderFactory.class);
                    assertThat(f.kind()).isEqualTo(ProviderKind.TTS);
                    assertThat(f.secretKeys()).containsExactly("api_key");
                });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        CartesiaTtsConfig config = CartesiaTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", Map.of(), ENV));
        assertThat(config.apiKey().reveal()).isEqualTo("sk_car_env-key");
        assertThat(config.apiKey().source()).isEqualTo("CARTESIA_API_KEY");
        assertThat(config.baseUrl()).isEqualTo("wss://api.cartesia.ai");
        assertThat(config.webSocketUrl()).isEqualTo("wss://api.cartesia.ai/tts/websocket");
        assertThat(config.cartesiaVersion()).isEqualTo("2026-03-01");
        assertThat(config.model()).isEqualTo("sonic-3");
        assertThat(config.voiceId()).isEqualTo("a0e99841-438c-4a64-b679-ae501e7d6091");
        assertThat(config.language()).isEqualTo("en");
        assertThat(config.speed()).isEqualTo(1.0);
        assertThat(config.addTimestamps()).isTrue();
        assertThat(config.maxBufferDelayMs()).isZero();
        assertThat(config).usingRecursiveComparison().isEqualTo(CartesiaTtsConfig.of(config.apiKey()));
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "sk_car_manifest-key");
        values.put("base_url", "wss://cartesia.example/");
        values.put("cartesia_version", "2026-08-14");
        values.put("model", "sonic-2");
        values.put("voice_id", "6ccbfb76-1fc6-48f7-b71d-91ac6298247b");
        values.put("language", "de");
        values.put("speed", 1.2);
        values.put("add_timestamps", false);
        values.put("max_buffer_delay_ms", "250");
        ProviderConfig provider = ProviderConfig.of("pipeline.tts", values, ENV);
        CartesiaTtsConfig config = CartesiaTtsProviderFactory.configOf(provider);
        assertThat(config).isEqualTo(new CartesiaTtsConfig(config.apiKey(), "wss://cartesia.example", "2026-08-14", "sonic-2",
                "6ccbfb76-1fc6-48f7-b71d-91ac6298247b", "de", 1.2, false, 250));
        assertThat(config.apiKey().reveal()).isEqualTo("sk_car_manifest-key");
        assertThat(provider.unreadPaths()).isEmpty();
    }

    @Test
    void unknownAndMistypedSettingsNameTheirPath() throws Exception {
        ProviderConfig typo = ProviderConfig.of("pipeline.tts", Map.of("voice", "x"), ENV);
        try (RecordingProviderContext context = new RecordingProviderContext("cartesia", ENV);
                CartesiaTtsService service = new CartesiaTtsProviderFactory().create(typo, context)) {
            assertThat(service.name()).isEqualTo("cartesia");
        }
        assertThat(typo.unreadPaths()).containsExactly("pipeline.tts.voice");

        assertThatThrownBy(() -> configOf(Map.of("speed", "fast")))
                .isInstanceOf(ConfigException.class).hasMessage("pipeline.tts.speed: expected a number but got the string \"fast\"");
        assertThatThrownBy(() -> configOf(Map.of("speed", 2.0)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.speed: expected a number within 0.6..1.5");
        assertThatThrownBy(() -> configOf(Map.of("add_timestamps", 1)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.add_timestamps: expected a boolean");
        assertThatThrownBy(() -> configOf(Map.of("max_buffer_delay_ms", 9000)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.max_buffer_delay_ms: expected an integer within 0..5000");
        assertThatThrownBy(() -> configOf(Map.of("voice_id", "")))
                .isInstanceOf(ConfigException.class).hasMessage("pipeline.tts.voice_id: must not be blank");
        assertThatThrownBy(() -> configOf(Map.of("base_url", "api.cartesia.ai")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.base_url: expected a ws://");
    }

    @Test
    void aMissingKeyNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> CartesiaTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.tts.api_key: missing; set it in the manifest or in the environment variable CARTESIA_API_KEY");
    }

    @Test
    void libraryUsersChangeOneSettingAtATime() {
        CartesiaTtsConfig config = CartesiaTtsConfig.of(Secret.of("k")).withVoiceId("v").withLanguage("fr").withModel("sonic-2").withSpeed(0.8);
        assertThat(config).isEqualTo(new CartesiaTtsConfig(config.apiKey(), "wss://api.cartesia.ai", "2026-03-01", "sonic-2", "v", "fr",
                0.8, true, 0));
        assertThatThrownBy(() -> config.withSpeed(2.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("speed must be within 0.6..1.5, got 2.0");
    }

    @Test
    void theKeyNeverShowsInTheConfig() {
        CartesiaTtsConfig config = CartesiaTtsConfig.of(Secret.of("sk_car_secret"));
        assertThat(config.toString()).doesNotContain("sk_car_secret").contains("apiKey=****");
    }

    private static CartesiaTtsConfig configOf(Map<String, ?> values) {
        return CartesiaTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", values, ENV));
    }
}
