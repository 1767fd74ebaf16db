package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin ZIP, loaded in its own class loader as the host loads it: it bundles the protocol classes,
 * protobuf, OkHttp and webrtc-java with its native library, and its service refuses a call without a room.
 * (WebRTC's native library is not loaded here: the media tests load it in the test class loader, and a JVM
 * loads a native library into one class loader only.)
 */
class LiveKitPluginZipIT {

    @Test
    void theZipIsASelfContainedTransportPlugin(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                RecordingProviderContext context = new RecordingProviderContext("livekit")) {
            ProviderFactory factory = plugin.checkPlugin("livekit", ProviderKind.TRANSPORT, List.of("piopiy-plugin-livekit-",
                    "livekit-server-", "protobuf-java-", "okhttp-jvm-", "webrtc-java-0.14.0.jar", "webrtc-java-0.14.0-linux-x86_64",
                    "jackson-databind-"), "livekit").getFirst();
            // livekit-server's own Kotlin SDK code is never loaded, so none of its dependencies are bundled
            assertThat(plugin.libraries()).noneMatch(jar -> jar.startsWith("retrofit") || jar.startsWith("java-jwt")
                    || jar.startsWith("protobuf-java-util") || jar.startsWith("converter-protobuf"));
            TransportService service = (TransportService) factory.create(ProviderConfig.of("transport", Map.of("output_rate", 16_000), Map.of()), context);
            assertThatThrownBy(() -> service.open(new CallInfo("c1", "a", null, null, null, "t", "r", Map.of())))
                    .isInstanceOf(ServiceException.class).hasMessageContaining("no media room URL");
            service.close();
        }
    }
}
