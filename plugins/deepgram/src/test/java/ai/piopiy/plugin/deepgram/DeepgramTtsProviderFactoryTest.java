package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DeepgramTtsProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("DEEPGRAM_API_KEY", "env-key-2f9a");

    @Test
    void isFoundThroughServiceLoaderNextToTheSttProvider() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().startsWith("deepgram"))
                .toList();

        assertThat(found).extracting(ProviderFactory::id, ProviderFactory::kind)
                .containsExactly(tuple("deepgram", ProviderKind.STT),
                        tuple("deepgram-tts", ProviderKind.TTS));
        assertThat(found.get(1)).isInstanceOfSatisfying(DeepgramTtsProviderFactory.class, factory -> {
            assertThat(factory.secretKeys()).containsExactly("api_key");
            assertThat(factory.description()).contains("Aura");
        });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", Map.of(), ENV);
        DeepgramTtsConfig config = DeepgramTtsProviderFactory.configOf(settings);

        assertThat(config.apiKey().reveal()).isEqualTo("env-key-2f9a");
        assertThat(config.apiKey().source()).isEqualTo("DEEPGRAM_API_KEY");
        assertThat(config.baseUrl()).isEqualTo("wss://api.deepgram.com");
        assertThat(config.webSocketUrl()).isEqualTo("wss://api.deepgram.com/v1/speak");
        assertThat(config.voice()).isEqualTo("aura-2-helena-en");
        assertThat(config.encoding()).isEqualTo("linear16");
        assertThat(config.sampleRate()).isZero();
        assertThat(config.mipOptOut()).isFalse();
        assertThat(config.flushEachSentence()).isTrue();
        assertThat(config).isEqualTo(DeepgramTtsConfig.of(config.apiKey()));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "manifest-key-7");
        values.put("base_url", "wss://api.eu.deepgram.com/");
        values.put("voice", "aura-2-thalia-en");
        values.put("encoding", "MULAW");
        values.put("sample_rate", 8000);
        values.put("mip_opt_out", true);
        values.put("flush_each_sentence", "false");
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", values, Map.of());

        DeepgramTtsConfig config = DeepgramTtsProviderFactory.configOf(settings);

        assertThat(config).isEqualTo(new DeepgramTtsConfig(config.apiKey(), "wss://api.eu.deepgram.com", "aura-2-thalia-en",
                "mulaw", 8000, true, false));
        assertThat(config.apiKey().reveal()).isEqualTo("manifest-key-7");
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void aMissingKeyNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> DeepgramTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DEEPGRAM_API_KEY");
    }

    @Test
    void badSettingsGivePathStyleErrors() {
        assertThatThrownBy(() -> configOf(Map.of("encoding", "mp3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.encoding");
        assertThatThrownBy(() -> configOf(Map.of("sample_rate", 22050)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.sample_rate").hasMessageContaining("48000");
        assertThatThrownBy(() -> configOf(Map.of("encoding", "mulaw", "sample_rate", 24000)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.sample_rate").hasMessageContaining("8000, 16000");
        assertThatThrownBy(() -> configOf(Map.of("sample_rate", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.sample_rate");
        assertThatThrownBy(() -> configOf(Map.of("voice", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.voice");
        assertThatThrownBy(() -> configOf(Map.of("base_url", "api.deepgram.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.base_url");
        assertThatThrownBy(() -> configOf(Map.of("mip_opt_out", 1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.tts.mip_opt_out");
    }

    @Test
    void unknownSettingsAreLeftUnreadForTheRuntimeToReport() {
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", Map.of("model", "aura-2-thalia-en"), ENV);
        DeepgramTtsProviderFactory.configOf(settings);
        assertThat(settings.unreadPaths()).containsExactly("pipeline.tts.model");
    }

    @Test
    void theFactoryBuildsAServiceWithTheKeyHidden() {
        try (RecordingProviderContext context = new RecordingProviderContext("deepgram-tts");
                DeepgramTtsService service = new DeepgramTtsProviderFactory().create(ProviderConfig.of("pipeline.tts", Map.of(), ENV), context)) {
            assertThat(service.name()).isEqualTo("deepgram-tts");
            assertThat(service.config().toString()).doesNotContain("env-key-2f9a");
        }
    }

    private static DeepgramTtsConfig configOf(Map<String, Object> values) {
        return DeepgramTtsProviderFactory.configOf(ProviderConfig.of("pipeline.tts", values, ENV));
    }
}
