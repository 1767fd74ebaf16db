package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.deepgram.internal.ListenRequest;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class DeepgramSttProviderFactoryTest {

    private static final Map<String, String> ENV = Map.of("DEEPGRAM_API_KEY", "env-key-93ab");

    @Test
    void isFoundThroughServiceLoader() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("deepgram"))
                .toList();

        assertThat(found).singleElement().isInstanceOfSatisfying(DeepgramSttProviderFactory.class, factory -> {
            assertThat(factory.kind()).isEqualTo(ProviderKind.STT);
            assertThat(factory.secretKeys()).containsExactly("api_key");
            assertThat(factory.description()).contains("Deepgram");
        });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of(), ENV);
        DeepgramSttConfig config = DeepgramSttProviderFactory.config(settings);

        assertThat(config.apiKey().reveal()).isEqualTo("env-key-93ab");
        assertThat(config.apiKey().source()).isEqualTo("DEEPGRAM_API_KEY");
        assertThat(config.url()).isEqualTo("wss://api.deepgram.com/v1/listen");
        assertThat(config.model()).isEqualTo("nova-2");
        assertThat(config.language()).isEqualTo("en-US");
        assertThat(config.interimResults()).isTrue();
        assertThat(config.punctuate()).isTrue();
        assertThat(config.smartFormat()).isTrue();
        assertThat(config.endpointingMs()).isEqualTo(300);
        assertThat(config.utteranceEndMs()).isEqualTo(1000);
        assertThat(config.vadEvents()).isTrue();
        assertThat(config.params()).isEmpty();
        assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.reconnectAttempts()).isEqualTo(3);
        assertThat(config.reconnectBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.reconnectBuffer()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config).isEqualTo(DeepgramSttConfig.builder(config.apiKey()).build());
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "manifest-key-11");
        values.put("url", "wss://api.eu.deepgram.com/v1/listen");
        values.put("model", "nova-3");
        values.put("language", "en");
        values.put("interim_results", true);
        values.put("punctuate", false);
        values.put("smart_format", "false");
        values.put("endpointing", false);
        values.put("utterance_end_ms", 1500);
        values.put("vad_events", false);
        values.put("params", Map.of("keyterm", List.of("Piopiy", "TeleCMI"), "diarize", true));
        values.put("keep_alive_interval_ms", 4000);
        values.put("connect_timeout_ms", "2500");
        values.put("close_timeout_ms", 1000);
        values.put("reconnect_attempts", 5);
        values.put("reconnect_backoff_ms", 0);
        values.put("reconnect_buffer_ms", 2000);
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", values, ENV);

        DeepgramSttConfig config = DeepgramSttProviderFactory.config(settings);

        assertThat(config.apiKey().reveal()).isEqualTo("manifest-key-11");
        assertThat(config).isEqualTo(DeepgramSttConfig.builder(config.apiKey())
                .url("wss://api.eu.deepgram.com/v1/listen")
                .model("nova-3")
                .language("en")
                .interimResults(true)
                .punctuate(false)
                .smartFormat(false)
                .endpointingMs(0)
                .utteranceEndMs(1500)
                .vadEvents(false)
                .params(Map.of("keyterm", List.of("Piopiy", "TeleCMI"), "diarize", List.of("true")))
                .keepAliveInterval(Duration.ofSeconds(4))
                .connectTimeout(Duration.ofMillis(2500))
                .closeTimeout(Duration.ofSeconds(1))
                .reconnectAttempts(5)
                .reconnectBackoff(Duration.ZERO)
                .reconnectBuffer(Duration.ofSeconds(2))
                .build());
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void unknownSettingsAreLeftUnreadForTheRuntimeToReport() {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of("modle", "nova-3"), ENV);
        DeepgramSttProviderFactory.config(settings);

        assertThat(settings.unreadPaths()).containsExactly("pipeline.stt.modle");
    }

    @Test
    void wrongSettingsGivePathStyleErrors() {
        assertError(Map.of("interim_results", "yes"), "pipeline.stt.interim_results", "expected a boolean");
        assertError(Map.of("endpointing", true), "pipeline.stt.endpointing", "milliseconds or false");
        assertError(Map.of("endpointing", -5), "pipeline.stt.endpointing", "must not be negative");
        assertError(Map.of("reconnect_attempts", 1.5), "pipeline.stt.reconnect_attempts", "expected an integer");
        assertError(Map.of("keep_alive_interval_ms", 0), "pipeline.stt.keep_alive_interval_ms", "at least 1 ms");
        assertError(Map.of("url", "ftp://example.com"), "pipeline.stt.url", "ws://, wss://");
        assertError(Map.of("model", 3), "pipeline.stt.model", "expected a string");
        assertError(Map.of("params", Map.of("model", "nova-3")), "pipeline.stt.params.model", "its own setting");
        assertError(Map.of("params", Map.of("keyterm", Map.of())), "pipeline.stt.params.keyterm", "a string, number");
        assertError(Map.of("params", "diarize"), "pipeline.stt.params", "expected an object");
        assertError(Map.of("interim_results", false, "utterance_end_ms", 1000),
                "pipeline.stt.utterance_end_ms", "needs interim_results true");
    }

    @Test
    void turningInterimResultsOffDropsTheUtteranceEndDefault() {
        DeepgramSttConfig config = DeepgramSttProviderFactory.config(
                ProviderConfig.of("pipeline.stt", Map.of("interim_results", false), ENV));

        assertThat(config.interimResults()).isFalse();
        assertThat(config.utteranceEndMs()).isZero();
        assertThat(ListenRequest.of(config, 8000).url().queryParameter("utterance_end_ms")).isNull();
    }

    @Test
    void missingKeyNamesTheEnvironmentVariable() {
        try (RecordingProviderContext context = new RecordingProviderContext("deepgram")) {
            assertThatThrownBy(() -> new DeepgramSttProviderFactory().create(
                    ProviderConfig.of("pipeline.stt", Map.of("model", "nova-3"), Map.of()), context))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("pipeline.stt.api_key")
                    .hasMessageContaining("DEEPGRAM_API_KEY");
        }
    }

    @Test
    void createsAServiceThatNeverShowsTheKey() {
        try (RecordingProviderContext context = new RecordingProviderContext("deepgram", ENV);
                DeepgramSttService service = new DeepgramSttProviderFactory().create(
                        ProviderConfig.of("pipeline.stt", Map.of(), ENV), context)) {
            assertThat(service.name()).isEqualTo("deepgram");
            assertThat(service.config().toString()).doesNotContain("env-key-93ab").contains("apiKey=****");
        }
    }

    @Test
    void requestCarriesTheQueryAndTheTokenHeader() {
        DeepgramSttConfig config = DeepgramSttConfig.builder(Secret.of("k-123"))
                .url("wss://api.eu.deepgram.com/v1/listen?tag=piopiy")
                .endpointingMs(0)
                .params(Map.of("keyterm", List.of("Piopiy", "TeleCMI")))
                .build();

        Request request = ListenRequest.of(config, 8000);

        HttpUrl url = request.url();
        assertThat(url.scheme()).isEqualTo("https"); // OkHttp's spelling of wss
        assertThat(url.host()).isEqualTo("api.eu.deepgram.com");
        assertThat(url.queryParameter("tag")).isEqualTo("piopiy");
        assertThat(url.queryParameter("sample_rate")).isEqualTo("8000");
        assertThat(url.queryParameter("endpointing")).isEqualTo("false");
        assertThat(url.queryParameterValues("keyterm")).containsExactly("Piopiy", "TeleCMI");
        assertThat(request.header("Authorization")).isEqualTo("Token k-123");
    }

    private static void assertError(Map<String, Object> values, String path, String problem) {
        Map<String, Object> withKey = new LinkedHashMap<>(values);
        withKey.put("api_key", "k");
        assertThatThrownBy(() -> DeepgramSttProviderFactory.config(ProviderConfig.of("pipeline.stt", withKey, Map.of())))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.problem()).contains(problem);
                });
    }
}
