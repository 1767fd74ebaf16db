package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, defaults, the full mapping of settings, and every way a credential can be missing or broken. */
class GoogleProviderFactoryTest {

    @TempDir
    Path dir;
    private FakeTokenEndpoint tokens;
    private Path keyFile;

    @BeforeEach
    void keyFile() throws Exception {
        tokens = new FakeTokenEndpoint();
        keyFile = tokens.writeKeyFile(dir);
    }

    @AfterEach
    void stop() {
        tokens.close();
    }

    private Map<String, String> env() {
        return Map.of("GOOGLE_APPLICATION_CREDENTIALS", keyFile.toString());
    }

    @Test
    void bothFactoriesAreFoundThroughServiceLoader() {
        Map<String, ProviderFactory> found = new LinkedHashMap<>();
        ServiceLoader.load(ProviderFactory.class).forEach(f -> found.put(f.id(), f));

        assertThat(found.get("google-stt")).isInstanceOfSatisfying(GoogleSttProviderFactory.class, f -> {
            assertThat(f.kind()).isEqualTo(ProviderKind.STT);
            assertThat(f.secretKeys()).containsExactly("credentials");
            assertThat(f.description()).contains("Speech-to-Text");
        });
        assertThat(found.get("google-tts")).isInstanceOfSatisfying(GoogleTtsProviderFactory.class, f -> {
            assertThat(f.kind()).isEqualTo(ProviderKind.TTS);
            assertThat(f.secretKeys()).containsExactlyInAnyOrder("credentials", "api_key");
            assertThat(f.description()).contains("Text-to-Speech");
        });
    }

    @Test
    void sttDefaultsAreThePythonSdks() throws Exception {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of(), env());
        GoogleSttConfig config = GoogleSttProviderFactory.config(settings);
        String keyJson = Files.readString(keyFile);

        assertThat(config.credentials()).isInstanceOfSatisfying(GoogleCredentials.ServiceAccount.class, account -> {
            assertThat(account.json().reveal()).isEqualTo(keyJson);
            assertThat(account.json().source()).isEqualTo("pipeline.stt.credentials");
        });
        assertThat(config.endpoint()).isEqualTo("https://speech.googleapis.com");
        assertThat(config.languages()).containsExactly("en-US");
        assertThat(config.model()).isEqualTo("latest_long");
        assertThat(config.useEnhanced()).isFalse();
        assertThat(config.enableAutomaticPunctuation()).isTrue();
        assertThat(config.enableSpokenPunctuation()).isFalse();
        assertThat(config.enableSpokenEmojis()).isFalse();
        assertThat(config.profanityFilter()).isFalse();
        assertThat(config.interimResults()).isTrue();
        assertThat(config.voiceActivityEvents()).isFalse();
        assertThat(config.singleUtterance()).isFalse();
        assertThat(config.streamLimit()).isEqualTo(Duration.ofSeconds(240));
        assertThat(config.resendLimit()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.reconnectAttempts()).isEqualTo(3);
        assertThat(config.reconnectBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config).isEqualTo(GoogleSttConfig.defaults(config.credentials()));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void sttMapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("credentials", tokens.keyJson());
        values.put("location", "eu");
        values.put("languages", List.of("en-IN", "hi-IN"));
        values.put("model", "telephony");
        values.put("use_enhanced", true);
        values.put("enable_automatic_punctuation", false);
        values.put("enable_spoken_punctuation", "true");
        values.put("enable_spoken_emojis", true);
        values.put("profanity_filter", true);
        values.put("enable_interim_results", false);
        values.put("enable_voice_activity_events", true);
        values.put("single_utterance", true);
        values.put("stream_limit_ms", 120_000);
        values.put("resend_limit_ms", 5_000);
        values.put("reconnect_attempts", 5);
        values.put("reconnect_backoff_ms", 100);
        values.put("close_timeout_ms", 1_000);
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", values, Map.of());

        GoogleSttConfig config = GoogleSttProviderFactory.config(settings);

        assertThat(config).isEqualTo(new GoogleSttConfig(config.credentials(), "https://eu-speech.googleapis.com",
                List.of("en-IN", "hi-IN"), "telephony", true, false, true, true, true, false, true, true,
                Duration.ofSeconds(120), Duration.ofSeconds(5), 5, Duration.ofMillis(100), Duration.ofSeconds(1)));
        assertThat(((GoogleCredentials.ServiceAccount) config.credentials()).json().source()).isEqualTo("pipeline.stt.credentials");
        assertThat(settings.unreadPaths()).isEmpty();
        assertThat(GoogleSttProviderFactory.config(ProviderConfig.of("p", Map.of("language", "fr-FR",
                "endpoint", "http://127.0.0.1:9000"), env()))).satisfies(c -> {
                    assertThat(c.languages()).containsExactly("fr-FR");
                    assertThat(c.endpoint()).isEqualTo("http://127.0.0.1:9000");
                });
    }

    @Test
    void ttsDefaultsAreThePythonSdksAndEverySettingMaps() {
        ProviderConfig empty = ProviderConfig.of("pipeline.tts", Map.of(), env());
        GoogleTtsConfig defaults = GoogleTtsProviderFactory.config(empty);
        assertThat(defaults).isEqualTo(new GoogleTtsConfig(defaults.credentials(), "https://texttospeech.googleapis.com",
                "en-US-Chirp3-HD-Charon", "en-US", 1.0, 0, 0, Duration.ofSeconds(30), true));
        assertThat(empty.unreadPaths()).isEmpty();

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("api_key", "AIza-manifest-key");
        values.put("location", "us-central1");
        values.put("voice_id", "en-IN-Neural2-A");
        values.put("language", "en-IN");
        values.put("speaking_rate", 1.25);
        values.put("pitch", -2);
        values.put("volume_gain_db", "3.5");
        values.put("timeout_ms", 10_000);
        ProviderConfig settings = ProviderConfig.of("pipeline.tts", values, Map.of());
        GoogleTtsConfig config = GoogleTtsProviderFactory.config(settings);

        assertThat(config.credentials()).isInstanceOfSatisfying(GoogleCredentials.ApiKey.class,
                key -> assertThat(key.key().reveal()).isEqualTo("AIza-manifest-key"));
        assertThat(config).isEqualTo(new GoogleTtsConfig(config.credentials(), "https://us-central1-texttospeech.googleapis.com",
                "en-IN-Neural2-A", "en-IN", 1.25, -2, 3.5, Duration.ofSeconds(10), false));
        assertThat(settings.unreadPaths()).isEmpty();

        ProviderConfig rest = ProviderConfig.of("pipeline.tts", Map.of("streaming", false), env());
        assertThat(GoogleTtsProviderFactory.config(rest).streaming()).isFalse();
        assertThatThrownBy(() -> GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of("pitch", 2), env())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not available with streaming");
    }

    @Test
    void inlineCredentialsMayBeTheKeyFilesObject() throws Exception {
        Map<String, Object> object = new ObjectMapper().readValue(tokens.keyJson(),
                new TypeReference<Map<String, Object>>() {});
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of("credentials", object), Map.of());

        GoogleSttConfig config = GoogleSttProviderFactory.config(settings);

        assertThat(((GoogleCredentials.ServiceAccount) config.credentials()).json().reveal())
                .contains(FakeTokenEndpoint.CLIENT_EMAIL, "BEGIN PRIVATE KEY");
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void ttsTakesGoogleApiKeyFromTheEnvironmentWhenNoKeyFileIsNamed() {
        GoogleTtsConfig config = GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of(),
                Map.of("GOOGLE_API_KEY", "AIza-env-key")));
        assertThat(config.credentials()).isInstanceOfSatisfying(GoogleCredentials.ApiKey.class, key -> {
            assertThat(key.key().reveal()).isEqualTo("AIza-env-key");
            assertThat(key.key().source()).isEqualTo("GOOGLE_API_KEY");
        });
    }

    @Test
    void aMissingCredentialNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt", Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("pipeline.stt.credentials: missing")
                .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS")
                .hasMessageNotContaining("GOOGLE_API_KEY");
        assertThatThrownBy(() -> GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS")
                .hasMessageContaining("GOOGLE_API_KEY");
    }

    @Test
    void aBrokenKeyFileIsAConfigErrorThatQuotesNothingOfIt() throws Exception {
        String pem = FakeTokenEndpoint.privateKeyPem();
        String fragment = FakeTokenEndpoint.privateKeyFragment();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("is not valid JSON (line 1", "{\"private_key\": \"" + fragment + "\" oops");
        files.put("no \"type\"", "{\"private_key\": \"" + fragment + "\"}");
        files.put("is of type \"authorized_user\"", "{\"type\":\"authorized_user\",\"refresh_token\":\"" + fragment + "\"}");
        files.put("has no \"client_email\"", "{\"type\":\"service_account\",\"private_key\":\"" + pem.replace("\n", "\\n") + "\"}");
        files.put("is not an RSA key", "{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n"
                + fragment + "\\n-----END PRIVATE KEY-----\\n\"}");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path broken = Files.writeString(dir.resolve("broken.json"), file.getValue());
            assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt",
                    Map.of("credentials_path", broken.toString()), Map.of())))
                    .as(file.getKey())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("pipeline.stt.credentials_path: the credentials file " + broken)
                    .hasMessageContaining(file.getKey())
                    .hasMessageNotContaining(fragment)
                    .hasNoCause();
            assertThatThrownBy(() -> GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of(),
                    Map.of("GOOGLE_APPLICATION_CREDENTIALS", broken.toString()))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("the file named by GOOGLE_APPLICATION_CREDENTIALS")
                    .hasMessageNotContaining(fragment);
            assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt",
                    Map.of("credentials", file.getValue()), Map.of())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("pipeline.stt.credentials: the inline credentials")
                    .hasMessageNotContaining(fragment);
        }
        assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt",
                Map.of("credentials_path", dir.resolve("absent.json").toString()), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.json does not exist");
    }

    @Test
    void mistypedAndOutOfRangeSettingsGivePathStyleErrors() {
        assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt", Map.of("languages", "en-US"), env())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.stt.languages: expected a list of strings");
        assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt", Map.of("stream_limit_ms", "soon"), env())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.stt.stream_limit_ms: expected an integer");
        assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt", Map.of("stream_limit_ms", 400_000), env())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.stt: streamLimit must be within");
        assertThatThrownBy(() -> GoogleSttProviderFactory.config(ProviderConfig.of("pipeline.stt",
                Map.of("language", "en-US", "languages", List.of("en-US")), env())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.stt.language: give either");
        assertThatThrownBy(() -> GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of("speaking_rate", 3), env())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.speaking_rate: expected a number within 0.25..2.0");
        assertThatThrownBy(() -> GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of("pitch", true), env())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pipeline.tts.pitch: expected a number");

        ProviderConfig typo = ProviderConfig.of("pipeline.stt", Map.of("modle", "phone_call", "api_key", "x"), env());
        GoogleSttProviderFactory.config(typo);
        assertThat(typo.unreadPaths()).containsExactlyInAnyOrder("pipeline.stt.modle", "pipeline.stt.api_key");
    }
}
