package ai.piopiy.plugin.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.plugin.livekit.testing.CallAudio;
import ai.piopiy.plugin.livekit.testing.TestRoomServer;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import ai.piopiy.testing.Tones;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin ZIP, loaded in its own class loader as the host loads it: it bundles the protocol classes,
 * protobuf, OkHttp and webrtc-java with its native library, and a call through it hears a caller whose
 * transport (and the test room server) use webrtc-java from the test class path: webrtc-java extracts its
 * library to a new temporary file per class loader, so the two copies load side by side.
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

    @Test
    void aCallThroughThePluginsOwnLoaderHearsACallerOfTheHostsLoader(@TempDir Path dir) throws Exception {
        assumeTrue("1".equals(System.getenv("PIOPIY_MEDIA_NETNS")),
                "media tests need the private network namespace of src/test/netns/bin/java (root, unshare, ip, veth); not available here");
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                RecordingProviderContext context = new RecordingProviderContext("livekit");
                TestRoomServer room = new TestRoomServer(true)) {
            TransportService pluginService = (TransportService) plugin.factories().getFirst()
                    .create(ProviderConfig.of("transport", Map.of(), Map.of()), context);
            LiveKitTransportService hostService = new LiveKitProviderFactory().create(ProviderConfig.empty("transport"), context);
            CallTransport agent = pluginService.open(new CallInfo("c2", "a", null, null, room.url(), room.token("agent", "r"), "r", Map.of()));
            CallTransport caller = hostService.open(new CallInfo("c3", "a", null, null, room.url(), room.token("caller", "r"), "r", Map.of()));
            try {
                assertThat(agent.getClass().getClassLoader()).isSameAs(plugin.loader());
                CallAudio.Recorder atAgent = new CallAudio.Recorder();
                agent.start(atAgent);
                caller.start(new CallAudio.Recorder());
                CallAudio.play(caller, Tones.tone(8_000, 440, 8_000, 1_000));
                Thread.sleep(200);
                assertThat(CallAudio.windowsOf(atAgent.audio(), 16_000, 440, 660)).as("the caller's tone at the agent (of 50)").isGreaterThan(35);
            } finally {
                caller.close();
                agent.close();
                hostService.close();
                pluginService.close();
            }
        }
    }
}
