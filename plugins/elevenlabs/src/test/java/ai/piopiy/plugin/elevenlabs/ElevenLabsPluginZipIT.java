package ai.piopiy.plugin.elevenlabs;

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
class ElevenLabsPluginZipIT {

    private static final String KEY = "xi-zip-test-key";

    @Test
    void theZipIsASelfContainedPluginThatSpeaks(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                FakeWebSocketServer server = new FakeWebSocketServer();
                RecordingProviderContext context = new RecordingProviderContext("elevenlabs")) {
            ProviderFactory factory = plugin.checkPlugin("elevenlabs", ProviderKind.TTS,
                    List.of("okhttp-jvm-", "jackson-core-", "piopiy-tts-websocket-", "piopiy-plugin-elevenlabs-"), "elevenlabs").getFirst();
            assertThatThrownBy(() -> factory.create(ProviderConfig.of("pipeline.tts", Map.of(), Map.of()), context))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("ELEVENLABS_API_KEY");

            ProviderConfig config = ProviderConfig.of("pipeline.tts", Map.of("api_key", KEY, "base_url", server.baseUrl()), Map.of());
            try (TtsService service = (TtsService) factory.create(config, context);
                    TtsSession session = service.openSession(AudioFormat.PCM16_8K, "call-1")) {
                server.acceptSocket();
                RecordingTtsListener listener = new RecordingTtsListener();
                TtsUtterance utterance = session.startUtterance(listener);
                ServerSocket socket = server.takeSocket();
                utterance.sendText("Loaded from the ZIP.");
                utterance.finish();
                socket.send("{\"audio\":\"" + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x00}) + "\"}");
                socket.send("{\"isFinal\":true}");
                // u-law 0xff is silence, 0x00 the loudest negative sample
                assertThat(listener.next(Audio.class).pcm()).containsExactly(0, 0, (byte) 0x84, (byte) 0x82);
                listener.next(Done.class);
            }
            context.logger().assertNeverLogged(KEY);
        }
    }
}
