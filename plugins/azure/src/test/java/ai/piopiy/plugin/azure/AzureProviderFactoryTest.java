package ai.piopiy.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AzureProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("AZURE_SPEECH_KEY", "env-key-31c7", "AZURE_SPEECH_REGION", "westeurope");

    @Test
    void bothFactoriesAreFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.id().startsWith("azure-"))
                .extracting(f -> Map.entry(f.id(), f.kind()))
                .containsExactlyInAnyOrder(Map.entry("azure-stt", ProviderKind.STT), Map.entry("azure-tts", ProviderKind.TTS));
        assertThat(new AzureSttProviderFactory().secretKeys()).containsExactly("api_key");
        assertThat(new AzureTtsProviderFactory().secretKeys()).containsExactly("api_key");
    }

    @Test
    void sttDefaultsAreTheDocumentedOnes() {
        AzureSttConfig config = AzureSttProviderFactory.configOf(ProviderConfig.of("pipeline.stt", Map.of(), ENV));
        assertThat(config.account().apiKey().reveal()).isEqualTo("env-key-31c7");
        assertThat(config.account().apiKey().source()).isEqualTo("AZURE_SPEECH_KEY");
        assertThat(config.account().region()).isEqualTo("westeurope");
        assertThat(config.url().toString()).isEqualTo(
                "https://westeurope.stt.speech.microsoft.com/speech/recognition/conversation/cognitiveservices/v1?language=en-US&format=simple");
        assertThat(config.language()).isEqualTo("en-US");
        assertThat(config.endpointId()).isEmpty();
        assertThat(config.detailed()).isFalse();
        assertThat(config.segmentationSilenceMs()).isZero();
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.reconnectAttempts()).isEqualTo(3);
        assertThat(config.reconnectBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.replayBuffer()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.connectionLifetime()).isEqualTo(Duration.ofMinutes(9));
        assertThat(config).isEqualTo(AzureSttConfig.builder(config.account()).build());
    }

    @Test
    void sttMapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "manifest-key-1");
        values.put("region", "eastus");
        values.put("endpoint", "wss://speech.example/stt");
        values.put("language", "fr-FR");
        values.put("endpoint_id", "0a1b2c");
        values.put("detailed", true);
        values.put("segmentation_silence_timeout_ms", 300);
        values.put("close_timeout_ms", "1500");
        values.put("reconnect_attempts", 5);
        values.put("reconnect_backoff_ms", 100);
        values.put("replay_buffer_ms", 8000);
        values.put("connection_lifetime_s", 300);
        ProviderConfig provider = ProviderConfig.of("pipeline.stt", values, Map.of());
        AzureSttConfig config = AzureSttProviderFactory.configOf(provider);
        assertThat(provider.unreadPaths()).isEmpty();
        assertThat(config).isEqualTo(new AzureSttConfig(new AzureSpeechAccount(config.account().apiKey(), "eastus",
                Optional.of("wss://speech.example/stt")), "fr-FR", Optional.of("0a1b2c"), true, 300, Duration.ofMillis(1500), 5,
                Duration.ofMillis(100), Duration.ofSeconds(8), Duration.ofMinutes(5)));
        assertThat(config.account().apiKey().reveal()).isEqualTo("manifest-key-1");
        assertThat(config.url().toString()).isEqualTo(
                "https://speech.example/stt?language=fr-FR&format=detailed&cid=0a1b2c&segmentationSilenceTimeoutMs=300");
    }

    @Test
    void ttsDefaultsAreTheDocumentedOnes() {
        AzureTtsConfig config = AzureTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", Map.of(), ENV));
        assertThat(config.url()).isEqualTo("https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1");
        assertThat(config.voice()).isEqualTo("en-US-SaraNeural");
        assertThat(config.language()).isEqualTo("en-US");
        assertThat(config.speed()).isEqualTo(1.0);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config).isEqualTo(AzureTtsConfig.of(config.account()));
    }

    @Test
    void ttsMapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "manifest-key-2");
        values.put("region", "northeurope");
        values.put("endpoint", "http://127.0.0.1:9/tts");
        values.put("voice", "en-GB-SoniaNeural");
        values.put("language", "en-GB");
        values.put("speed", 0.8);
        values.put("timeout", 12);
        ProviderConfig provider = ProviderConfig.of("pipeline.tts", values, Map.of());
        AzureTtsConfig config = AzureTtsProviderFactory.configOf(provider);
        assertThat(provider.unreadPaths()).isEmpty();
        assertThat(config).isEqualTo(new AzureTtsConfig(new AzureSpeechAccount(config.account().apiKey(), "northeurope",
                Optional.of("http://127.0.0.1:9/tts")), "en-GB-SoniaNeural", "en-GB", 0.8, Duration.ofSeconds(12)));
        assertThat(config.url()).isEqualTo("http://127.0.0.1:9/tts");
    }

    @Test
    void aMissingKeyOrRegionNamesTheEnvironmentVariable() {
        for (String path : new String[] {"pipeline.stt", "pipeline.tts"}) {
            assertThatThrownBy(() -> configOf(path, Map.of(), Map.of("AZURE_SPEECH_REGION", "eastus")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(path + ".api_key: missing; set it in the manifest or in the environment variable AZURE_SPEECH_KEY");
            assertThatThrownBy(() -> configOf(path, Map.of(), Map.of("AZURE_SPEECH_KEY", "k")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(path + ".region: missing; set it (for example \"eastus\") in the manifest or in the environment variable AZURE_SPEECH_REGION");
        }
        AzureSttConfig withEndpoint = AzureSttProviderFactory.configOf(
                ProviderConfig.of("pipeline.stt", Map.of("endpoint", "ws://127.0.0.1:9/stt"), Map.of("AZURE_SPEECH_KEY", "k")));
        assertThat(withEndpoint.account().region()).as("an endpoint needs no region").isEmpty();
    }

    @Test
    void unknownAndMistypedSettingsNameTheirPath() throws Exception {
        ProviderConfig typo = ProviderConfig.of("pipeline.stt", Map.of("langauge", "de-DE"), ENV);
        try (RecordingProviderContext context = new RecordingProviderContext("azure-stt", ENV);
                AzureSttService service = new AzureSttProviderFactory().create(typo, context)) {
            assertThat(service.name()).isEqualTo("azure-stt");
        }
        assertThat(typo.unreadPaths()).containsExactly("pipeline.stt.langauge");
        ProviderConfig ttsTypo = ProviderConfig.of("pipeline.tts", Map.of("voice_id", "x"), ENV);
        try (RecordingProviderContext context = new RecordingProviderContext("azure-tts", ENV);
                AzureTtsService service = new AzureTtsProviderFactory().create(ttsTypo, context)) {
            assertThat(service.name()).isEqualTo("azure-tts");
        }
        assertThat(ttsTypo.unreadPaths()).containsExactly("pipeline.tts.voice_id");

        assertThatThrownBy(() -> configOf("pipeline.stt", Map.of("region", "East US"), ENV)).isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.stt.region: expected an Azure region name such as eastus or westeurope, got \"East US\"");
        assertThatThrownBy(() -> configOf("pipeline.stt", Map.of("endpoint", "speech.example"), ENV)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.stt.endpoint: expected a ws://");
        assertThatThrownBy(() -> configOf("pipeline.stt", Map.of("detailed", "yes"), ENV)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.stt.detailed: expected a boolean");
        assertThatThrownBy(() -> configOf("pipeline.stt", Map.of("connection_lifetime_s", 600), ENV)).isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.stt.connection_lifetime_s: expected an integer within 1..599, got 600");
        assertThatThrownBy(() -> configOf("pipeline.stt", Map.of("language", " "), ENV)).isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.stt.language: must not be blank");
        assertThatThrownBy(() -> configOf("pipeline.tts", Map.of("speed", 3), ENV)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.tts.speed: expected a number within 0.5..2.0");
        assertThatThrownBy(() -> configOf("pipeline.tts", Map.of("voice", 7), ENV)).isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.tts.voice: expected a string but got a number 7");
        assertThatThrownBy(() -> configOf("pipeline.tts", Map.of("api_key", 7), ENV)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.tts.api_key: expected a string");
    }

    @Test
    void libraryUsersBuildConfigsFromCodeAndTheKeyNeverShows() {
        AzureSpeechAccount account = AzureSpeechAccount.of(Secret.of("code-key-5e"), "eastus");
        AzureTtsConfig tts = AzureTtsConfig.of(account).withVoice("en-US-AvaNeural").withSpeed(1.1);
        assertThat(tts).isEqualTo(new AzureTtsConfig(account, "en-US-AvaNeural", "en-US", 1.1, Duration.ofSeconds(30)));
        assertThat(tts.toString()).doesNotContain("code-key-5e").contains("apiKey=****");
        AzureSttConfig stt = AzureSttConfig.builder(account).language("es-ES").build();
        assertThat(stt.toString()).doesNotContain("code-key-5e");
        assertThatThrownBy(() -> tts.withSpeed(0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("speed must be within 0.5..2.0, got 0.1");
        assertThatThrownBy(() -> AzureSpeechAccount.of(Secret.of("k"), "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a region or an endpoint is needed");
        assertThatThrownBy(() -> AzureSttConfig.builder(account).connectionLifetime(Duration.ofMinutes(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("under the service's 10 minutes");
    }

    private static Object configOf(String path, Map<String, ?> values, Map<String, String> env) {
        ProviderConfig config = ProviderConfig.of(path, values, env);
        return path.endsWith("stt") ? AzureSttProviderFactory.configOf(config) : AzureTtsProviderFactory.configOf(config);
    }
}
