package ai.piopiy.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

    static ProviderConfig config(Map<String, Object> values, Map<String, String> env) {
        return ProviderConfig.of("pipeline.stt", values, env);
    }

    @Test
    void typedValuesAndDefaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model", "nova-2");
        values.put("rate", 16000);
        values.put("speed", 1.25);
        values.put("interim", false);
        values.put("port", "8080"); // as substituted from ${PORT}
        values.put("words", List.of("a", "b"));
        ProviderConfig c = config(values, Map.of());
        assertThat(c.requireString("model")).isEqualTo("nova-2");
        assertThat(c.integer("rate", 8000)).isEqualTo(16000);
        assertThat(c.decimal("speed", 1.0)).isEqualTo(1.25);
        assertThat(c.bool("interim", true)).isFalse();
        assertThat(c.integer("port", 0)).isEqualTo(8080);
        assertThat(c.strings("words", List.of())).containsExactly("a", "b");
        assertThat(c.string("language", "en-US")).isEqualTo("en-US");
        assertThat(c.unreadPaths()).isEmpty();
    }

    @Test
    void errorsNameThePathAndTheExpectedType() {
        ProviderConfig c = config(Map.of("rate", "fast", "model", 3, "words", List.of("a", 2), "opts", "x"), Map.of());
        assertThatThrownBy(() -> c.integer("rate", 0)).isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.stt.rate: expected an integer but got the string \"fast\"");
        assertThatThrownBy(() -> c.requireString("model"))
                .hasMessage("pipeline.stt.model: expected a string but got a number 3");
        assertThatThrownBy(() -> c.strings("words", List.of()))
                .hasMessage("pipeline.stt.words[1]: expected a string but got a number 2");
        assertThatThrownBy(() -> c.child("opts"))
                .hasMessage("pipeline.stt.opts: expected an object but got the string \"x\"");
        assertThatThrownBy(() -> c.requireString("voice"))
                .hasMessage("pipeline.stt.voice: missing; expected a string");
        assertThatThrownBy(() -> c.decimal("speed", 5.0, 0.5, 2.0))
                .hasMessage("pipeline.stt.speed: expected a number within 0.5..2.0, got 5.0");
    }

    @Test
    void unreadKeysAreReportedIncludingNestedOnes() {
        ProviderConfig c = config(Map.of("model", "x", "modle", "typo", "voice", Map.of("id", "a", "sped", 1)), Map.of());
        c.requireString("model");
        c.child("voice").orElseThrow().requireString("id");
        assertThat(c.unreadPaths()).containsExactlyInAnyOrder("pipeline.stt.modle", "pipeline.stt.voice.sped");
    }

    @Test
    void secretsComeFromTheManifestOrTheEnvironmentAndNeverPrint() {
        Secret fromEnv = config(Map.of(), Map.of("DEEPGRAM_API_KEY", "dg-secret-1")).secret("api_key", "DEEPGRAM_API_KEY");
        assertThat(fromEnv.reveal()).isEqualTo("dg-secret-1");
        assertThat(fromEnv.source()).isEqualTo("DEEPGRAM_API_KEY");
        assertThat(fromEnv.toString()).isEqualTo("****").doesNotContain("dg-secret");

        Secret fromManifest = config(Map.of("api_key", "m-secret"), Map.of("DEEPGRAM_API_KEY", "env")).secret("api_key", "DEEPGRAM_API_KEY");
        assertThat(fromManifest.reveal()).isEqualTo("m-secret");
        assertThat(String.valueOf(fromManifest)).isEqualTo("****");

        assertThatThrownBy(() -> config(Map.of("api_key", " "), Map.of()).secret("api_key", "DEEPGRAM_API_KEY"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.stt.api_key: missing; set it in the manifest or in the environment variable DEEPGRAM_API_KEY");
    }
}
