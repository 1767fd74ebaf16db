package ai.piopiy.plugin.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whisper, openai-tts and playht factories: discovery, defaults, settings, keys. */
class OpenAiAudioProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-env-secret");

    private final TestingProviderContext context = new TestingProviderContext(ENV);

    @AfterEach
    void stop() {
        context.close();
    }

    private static ProviderConfig config(String path, Map<String, ?> values, Map<String, String> env) {
        return ProviderConfig.of(path, values, env);
    }

    @Test
    void serviceLoaderFindsTheAudioProviders() {
        Map<String, ProviderFactory> factories = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(ProviderFactory::id, Function.identity()));

        assertThat(factories.get("whisper")).isInstanceOf(WhisperSttProviderFactory.class)
                .extracting(ProviderFactory::kind).isEqualTo(ProviderKind.STT);
        assertThat(factories.get("openai-tts")).isInstanceOf(OpenAiTtsProviderFactory.class)
                .extracting(ProviderFactory::kind).isEqualTo(ProviderKind.TTS);
        assertThat(factories.get("playht")).isInstanceOf(PlayHtTtsProviderFactory.class)
                .extracting(ProviderFactory::kind).isEqualTo(ProviderKind.TTS);
        assertThat(factories.get("whisper").secretKeys()).containsExactly("api_key");
        assertThat(factories.get("openai-tts").secretKeys()).containsExactly("api_key");
    }

    @Test
    void whisperDefaults() {
        WhisperSttConfig config = WhisperSttConfig.from(config("pipeline.stt", Map.of(), ENV));
        assertThat(config.endpoint().baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(config.endpoint().apiKey()).get().extracting(Secret::reveal, Secret::source)
                .containsExactly("sk-env-secret", "OPENAI_API_KEY");
        assertThat(config.model()).isEqualTo("whisper-1");
        assertThat(config.language()).isEmpty();
        assertThat(config.prompt()).isEmpty();
        assertThat(config.preRoll()).isEqualTo(Duration.ofMillis(300));
        assertThat(config.maxSegment()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config).isEqualTo(WhisperSttConfig.openai(config.endpoint().apiKey().orElseThrow()));
    }

    @Test
    void whisperReadsEverySetting() {
        ProviderConfig manifest = config("pipeline.stt", Map.of("api_key", "sk-manifest", "base_url", "http://127.0.0.1:8000/v1",
                "model", "gpt-4o-mini-transcribe", "language", "de", "prompt", "Piopiy, TeleCMI", "pre_roll_ms", 200,
                "max_segment_seconds", 30, "max_retries", 0, "timeout", 12.5), ENV);
        try (WhisperSttService service = new WhisperSttProviderFactory().create(manifest, context)) {
            WhisperSttConfig c = service.config();
            assertThat(c.endpoint().apiKey()).get().extracting(Secret::reveal).isEqualTo("sk-manifest");
            assertThat(c.endpoint().baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
            assertThat(c.model()).isEqualTo("gpt-4o-mini-transcribe");
            assertThat(c.language()).contains("de");
            assertThat(c.prompt()).contains("Piopiy, TeleCMI");
            assertThat(c.preRoll()).isEqualTo(Duration.ofMillis(200));
            assertThat(c.maxSegment()).isEqualTo(Duration.ofSeconds(30));
            assertThat(c.retry().maxRetries()).isZero();
            assertThat(c.timeout()).isEqualTo(Duration.ofMillis(12_500));
            assertThat(manifest.unreadPaths()).isEmpty();
            assertThat(service.name()).isEqualTo("whisper");
            assertThat(service.toString() + c).doesNotContain("sk-manifest");
        }
    }

    @Test
    void ttsDefaultsAndSettings() {
        OpenAiTtsConfig defaults = OpenAiTtsConfig.from(config("pipeline.tts", Map.of(), ENV));
        assertThat(defaults.endpoint().baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(defaults.model()).isEqualTo("gpt-4o-mini-tts");
        assertThat(defaults.voice()).isEqualTo("alloy");
        assertThat(defaults.speed()).isEqualTo(1.0);
        assertThat(defaults.instructions()).isEmpty();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults).isEqualTo(OpenAiTtsConfig.openai(defaults.endpoint().apiKey().orElseThrow()));

        ProviderConfig manifest = config("pipeline.tts", Map.of("model", "tts-1", "voice", "nova", "speed", 1.25,
                "instructions", "Speak warmly.", "timeout", 5, "base_url", "https://proxy.example/v1/"), ENV);
        try (OpenAiTtsService service = new OpenAiTtsProviderFactory().create(manifest, context)) {
            OpenAiTtsConfig c = service.config();
            assertThat(c.model()).isEqualTo("tts-1");
            assertThat(c.voice()).isEqualTo("nova");
            assertThat(c.speed()).isEqualTo(1.25);
            assertThat(c.instructions()).contains("Speak warmly.");
            assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.endpoint().baseUrl()).isEqualTo("https://proxy.example/v1");
            assertThat(manifest.unreadPaths()).isEmpty();
            assertThat(service.name()).isEqualTo("openai-tts");
        }
    }

    @Test
    void missingKeyNamesOpenAiApiKeyButALocalServerNeedsNone() {
        assertThatThrownBy(() -> new WhisperSttProviderFactory().create(config("pipeline.stt", Map.of(), Map.of()), context))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.stt.api_key: missing; set it in the manifest or in the environment variable OPENAI_API_KEY");
        assertThatThrownBy(() -> new OpenAiTtsProviderFactory().create(config("pipeline.tts", Map.of(), Map.of()), context))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> WhisperSttConfig.defaults(new OpenAiEndpoint("https://api.openai.com/v1", Optional.empty())))
                .hasMessageContaining("OPENAI_API_KEY");

        ProviderConfig local = config("pipeline.stt", Map.of("base_url", "http://127.0.0.1:8080/v1"), Map.of());
        try (WhisperSttService service = new WhisperSttProviderFactory().create(local, context)) {
            assertThat(service.config().endpoint().apiKey()).isEmpty();
        }
        ProviderConfig localWithEnv = config("pipeline.tts", Map.of("base_url", "http://127.0.0.1:8880/v1"), ENV);
        try (OpenAiTtsService service = new OpenAiTtsProviderFactory().create(localWithEnv, context)) {
            assertThat(service.config().endpoint().apiKey()).as("a key in the environment is still sent").isPresent();
        }
    }

    @Test
    void unknownAndMistypedSettingsNameTheirPath() {
        ProviderConfig typo = config("pipeline.stt", Map.of("langauge", "en"), ENV);
        new WhisperSttProviderFactory().create(typo, context).close();
        assertThat(typo.unreadPaths()).containsExactly("pipeline.stt.langauge");

        assertThatThrownBy(() -> OpenAiTtsConfig.from(config("pipeline.tts", Map.of("speed", 9), ENV)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.tts.speed: expected a number within 0.25..4.0");
        assertThatThrownBy(() -> OpenAiTtsConfig.from(config("pipeline.tts", Map.of("voice", 3), ENV)))
                .hasMessage("pipeline.tts.voice: expected a string but got a number 3");
        assertThatThrownBy(() -> WhisperSttConfig.from(config("pipeline.stt", Map.of("base_url", "localhost:8000"), ENV)))
                .hasMessageStartingWith("pipeline.stt.base_url: expected an http or https URL");
        assertThatThrownBy(() -> WhisperSttConfig.from(config("pipeline.stt", Map.of("pre_roll_ms", 5000), ENV)))
                .hasMessageStartingWith("pipeline.stt.pre_roll_ms: expected a number within 0.0..2000.0");
        assertThatThrownBy(() -> WhisperSttConfig.from(config("pipeline.stt", Map.of("max_retries", 11), ENV)))
                .hasMessageStartingWith("pipeline.stt.max_retries: expected an integer within 0..10");
    }

    @Test
    void playhtExplainsItWasShutDownAndNamesTheAlternatives() {
        ProviderConfig manifest = config("pipeline.tts", Map.of("voice", "s3://voice-cloning-zero-shot/x/manifest.json"), Map.of());
        assertThatThrownBy(() -> new PlayHtTtsProviderFactory().create(manifest, context))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.tts: PlayHT shut down its API at the end of 2025")
                .hasMessageContainingAll("cartesia", "elevenlabs", "espeak", "openai-tts");
        assertThat(manifest.unreadPaths()).as("the shutdown, not a setting, is the error").isEmpty();
    }

    @Test
    void keysNeverShowInConfigText() {
        WhisperSttConfig stt = WhisperSttConfig.openai(Secret.of("sk-very-secret"));
        OpenAiTtsConfig tts = OpenAiTtsConfig.openai(Secret.of("sk-very-secret"));
        assertThat(stt.toString() + tts).doesNotContain("sk-very-secret").contains("****");
    }
}
