package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LiveKitProviderFactoryTest {

    @Test
    void isFoundThroughServiceLoader() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.id().equals("livekit")).toList();
        assertThat(found).singleElement().isInstanceOfSatisfying(LiveKitProviderFactory.class, f -> {
            assertThat(f.kind()).isEqualTo(ProviderKind.TRANSPORT);
            assertThat(f.secretKeys()).isEmpty();
            assertThat(f.description()).contains("LiveKit");
        });
    }

    @Test
    void defaultsAreTheSdksTelephonyRates() {
        ProviderConfig settings = ProviderConfig.of("transport", Map.of(), Map.of());
        LiveKitConfig config = LiveKitProviderFactory.config(settings);
        assertThat(config).isEqualTo(LiveKitConfig.DEFAULTS);
        assertThat(config.inputRate()).isEqualTo(16_000);
        assertThat(config.outputRate()).isEqualTo(8_000);
        assertThat(config.trackName()).isEqualTo("agent");
        assertThat(config.joinTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.reconnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySetting() {
        ProviderConfig settings = ProviderConfig.of("transport", Map.of("input_rate", 24_000, "output_rate", "16000",
                "track_name", "bot", "join_timeout_ms", 5_000, "reconnect_timeout_ms", 0), Map.of());
        assertThat(LiveKitProviderFactory.config(settings))
                .isEqualTo(new LiveKitConfig(24_000, 16_000, "bot", Duration.ofSeconds(5), Duration.ZERO));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void badSettingsAreReportedWithTheirPath() {
        assertThatThrownBy(() -> LiveKitProviderFactory.config(ProviderConfig.of("transport", Map.of("input_rate", 44_100), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transport.input_rate").hasMessageContaining("16000");
        assertThatThrownBy(() -> LiveKitProviderFactory.config(ProviderConfig.of("transport", Map.of("output_rate", "fast"), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transport.output_rate");
        assertThatThrownBy(() -> LiveKitProviderFactory.config(ProviderConfig.of("transport", Map.of("join_timeout_ms", 0), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transport.join_timeout_ms");
        ProviderConfig unknown = ProviderConfig.of("transport", Map.of("api_key", "x"), Map.of());
        LiveKitProviderFactory.config(unknown);
        assertThat(unknown.unreadPaths()).containsExactly("transport.api_key");
    }

    @Test
    void aCallWithoutAUsableRoomUrlOrATokenIsRefusedBeforeAnythingIsOpened() {
        try (RecordingProviderContext context = new RecordingProviderContext("livekit");
                LiveKitTransportService service = new LiveKitProviderFactory().create(ProviderConfig.empty("transport"), context)) {
            assertThatThrownBy(() -> service.open(new CallInfo("c7", "a", null, null, null, "tok", "r", Map.of())))
                    .isInstanceOf(ServiceException.class).hasMessageContaining("call c7 has no media room URL");
            assertThatThrownBy(() -> service.open(new CallInfo("c8", "a", null, null, "wss://x", " ", "r", Map.of())))
                    .isInstanceOf(ServiceException.class).hasMessageContaining("call c8 has no room access token");
            assertThatThrownBy(() -> service.open(new CallInfo("c9", "a", null, null, "sip:room", "tok", "r", Map.of())))
                    .isInstanceOf(ServiceException.class)
                    .hasMessageContaining("call c9: the room URL must start with wss://, ws://, https:// or http://, got \"sip:room\"");
        }
    }
}
