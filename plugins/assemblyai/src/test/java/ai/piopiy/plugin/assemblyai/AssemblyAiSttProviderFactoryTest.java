package ai.piopiy.plugin.assemblyai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class AssemblyAiSttProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("ASSEMBLYAI_API_KEY", "env-key-5c7d");

    @Test
    void isFoundThroughServiceLoader() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("assemblyai"))
                .toList();

        assertThat(found).singleElement().isInstanceOfSatisfying(AssemblyAiSttProviderFactory.class, factory -> {
            assertThat(factory.kind()).isEqualTo(ProviderKind.STT);
            assertThat(factory.secretKeys()).containsExactly("api_key");
            assertThat(factory.description()).contains("AssemblyAI");
        });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of(), ENV);
        AssemblyAiSttConfig config = AssemblyAiSttProviderFactory.configOf(settings);

        assertThat(config.apiKey().reveal()).isEqualTo("env-key-5c7d");
        assertThat(config.apiKey().source()).isEqualTo("ASSEMBLYAI_API_KEY");
        assertThat(config.url()).isEqualTo("wss://streaming.assemblyai.com/v3/ws");
        assertThat(config.speechModel()).isEqualTo("universal-streaming-english");
        assertThat(config.formatTurns()).isTrue();
        assertThat(config.endOfTurnConfidenceThreshold()).isEqualTo(0.4);
        assertThat(config.minTurnSilenceMs()).isEqualTo(400);
        assertThat(config.maxTurnSilenceMs()).isEqualTo(1280);
        assertThat(config.keytermsPrompt()).isEmpty();
        assertThat(config.forceEndpointOnStop()).isTrue();
        assertThat(config.apiVersion()).isEqualTo("2025-05-12");
        assertThat(config.chunkMs()).isEqualTo(50);
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.reconnectAttempts()).isEqualTo(3);
        assertThat(config.reconnectBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.reconnectBuffer()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config).isEqualTo(AssemblyAiSttConfig.of(config.apiKey()));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "manifest-key-12");
        values.put("url", "wss://streaming.eu.assemblyai.com/v3/ws");
        values.put("speech_model", "universal-streaming-multilingual");
        values.put("format_turns", "false");
        values.put("end_of_turn_confidence_threshold", 0.7);
        values.put("min_turn_silence_ms", 800);
        values.put("max_turn_silence_ms", 3600);
        values.put("keyterms_prompt", List.of("Piopiy"));
        values.put("force_endpoint_on_stop", false);
        values.put("api_version", "2026-01-01");
        values.put("chunk_ms", 100);
        values.put("close_timeout_ms", 1500);
        values.put("reconnect_attempts", 0);
        values.put("reconnect_backoff_ms", 0);
        values.put("reconnect_buffer_ms", 250);
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", values, Map.of());

        AssemblyAiSttConfig config = AssemblyAiSttProviderFactory.configOf(settings);

        assertThat(config).isEqualTo(new AssemblyAiSttConfig(config.apiKey(), "wss://streaming.eu.assemblyai.com/v3/ws",
                "universal-streaming-multilingual", false, 0.7, 800, 3600, List.of("Piopiy"), false, "2026-01-01", 100,
                Duration.ofMillis(1500), 0, Duration.ZERO, Duration.ofMillis(250)));
        assertThat(config.apiKey().reveal()).isEqualTo("manifest-key-12");
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void aMissingKeyNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> AssemblyAiSttProviderFactory.configOf(ProviderConfig.of("pipeline.stt", Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ASSEMBLYAI_API_KEY");
    }

    @Test
    void badSettingsGivePathStyleErrors() {
        assertThatThrownBy(() -> configOf(Map.of("format_turns", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.format_turns");
        assertThatThrownBy(() -> configOf(Map.of("end_of_turn_confidence_threshold", 1.5)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.end_of_turn_confidence_threshold");
        assertThatThrownBy(() -> configOf(Map.of("chunk_ms", 20)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.chunk_ms").hasMessageContaining("50..1000");
        assertThatThrownBy(() -> configOf(Map.of("min_turn_silence_ms", 900, "max_turn_silence_ms", 500)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.max_turn_silence_ms");
        assertThatThrownBy(() -> configOf(Map.of("keyterms_prompt", List.of("ok", 3))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.keyterms_prompt[1]");
        assertThatThrownBy(() -> configOf(Map.of("url", "ftp://example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.url");
        assertThatThrownBy(() -> configOf(Map.of("speech_model", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.stt.speech_model");
    }

    @Test
    void unknownSettingsAreLeftUnreadForTheRuntimeToReport() {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of("format_turn", true), ENV);
        AssemblyAiSttProviderFactory.configOf(settings);
        assertThat(settings.unreadPaths()).containsExactly("pipeline.stt.format_turn");
    }

    @Test
    void theFactoryBuildsAServiceWithTheKeyHidden() {
        try (RecordingProviderContext context = new RecordingProviderContext("assemblyai");
                AssemblyAiSttService service = new AssemblyAiSttProviderFactory().create(
                        ProviderConfig.of("pipeline.stt", Map.of(), ENV), context)) {
            assertThat(service.name()).isEqualTo("assemblyai");
            assertThat(service.config().toString()).doesNotContain("env-key-5c7d");
        }
    }

    private static AssemblyAiSttConfig configOf(Map<String, Object> values) {
        return AssemblyAiSttProviderFactory.configOf(ProviderConfig.of("pipeline.stt", values, ENV));
    }
}
