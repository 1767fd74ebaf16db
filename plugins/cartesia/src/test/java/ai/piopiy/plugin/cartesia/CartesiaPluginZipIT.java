package ai.piopiy.plugin.cartesia;

import static ai.piopiy.plugin.ttswebsocket.testing.TestAudio.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer.ServerSocket;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded in its own class loader as the host loads it, speaks to a local server. */
class CartesiaPluginZipIT {

    private static final String KEY = "sk_car_zip-test-key";

    @Test
    void theZipIsASelfContainedPluginThatSpeaks(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                FakeWebSocketServer server = new FakeWebSocketServer();
                RecordingProviderContext context = new RecordingProviderContext("cartesia")) {
            ProviderFactory factory = plugin.checkPlugin("cartesia", ProviderKind.TTS,
                    List.of("okhttp-jvm-", "jackson-core-", "piopiy-tts-websocket-", "piopiy-plugin-cartesia-"), "cartesia").getFirst();
            assertThatThrownBy(() -> factory.create(ProviderConfig.of("pipeline.tts", Map.of(), Map.of()), context))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("CARTESIA_API_KEY");

            server.acceptSocket();
            ProviderConfig config = ProviderConfig.of("pipeline.tts", Map.of("api_key", KEY, "base_url", server.baseUrl()), Map.of());
            try (TtsService service = (TtsService) factory.create(config, context);
                    TtsSession session = service.openSession(AudioFormat.PCM16_16K, "call-1")) {
                ServerSocket socket = server.takeSocket();
                RecordingTtsListener listener = new RecordingTtsListener();
                TtsUtterance utterance = session.startUtterance(listener);
                utterance.sendText("Loaded from the ZIP.");
                utterance.finish();
                String contextId = socket.nextMessage().get("context_id").asText();
                socket.nextMessage();
                socket.send("{\"type\":\"chunk\",\"context_id\":\"" + contextId + "\",\"data\":\""
                        + Base64.getEncoder().encodeToString(pattern(1, 320)) + "\"}");
                socket.send("{\"type\":\"done\",\"context_id\":\"" + contextId + "\",\"done\":true}");
                assertThat(listener.next(Audio.class).pcm()).isEqualTo(pattern(1, 320));
                listener.next(Done.class);
            }
            context.logger().assertNeverLogged(KEY);
        }
    }
}
