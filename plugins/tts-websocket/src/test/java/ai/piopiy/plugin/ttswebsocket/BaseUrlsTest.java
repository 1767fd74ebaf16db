package ai.piopiy.plugin.ttswebsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseUrlsTest {

    @Test
    void acceptsWebSocketAndHttpUrlsAndDropsATrailingSlash() {
        assertThat(BaseUrls.normalize("wss://api.example.com/")).isEqualTo("wss://api.example.com");
        assertThat(BaseUrls.normalize("ws://127.0.0.1:8080/proxy")).isEqualTo("ws://127.0.0.1:8080/proxy");
        assertThat(BaseUrls.normalize("HTTPS://api.example.com")).isEqualTo("HTTPS://api.example.com");
        assertThat(BaseUrls.toHttpUrl("wss://api.example.com/x").toString()).isEqualTo("https://api.example.com/x");
        assertThat(BaseUrls.toHttpUrl("ws://127.0.0.1:8080").toString()).isEqualTo("http://127.0.0.1:8080/");
    }

    @Test
    void aSettingThatIsNoUrlNamesItsPath() {
        ProviderConfig config = ProviderConfig.of("pipeline.tts", Map.of("base_url", "api.example.com"), Map.of());
        assertThatThrownBy(() -> BaseUrls.setting(config, "base_url", "wss://x"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pipeline.tts.base_url: expected a ws://, wss://, http:// or https:// URL, got \"api.example.com\"");
        assertThat(BaseUrls.setting(ProviderConfig.of("p", Map.of(), Map.of()), "base_url", "wss://x/")).isEqualTo("wss://x");
    }
}
