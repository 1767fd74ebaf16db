package ai.piopiy.plugin.assemblyai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer;
import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer.ServerSocket;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded in its own class loader as the host loads it, transcribes through a local server. */
class AssemblyAiPluginZipIT {

    @Test
    void theZipIsASelfContainedPluginThatTranscribes(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                FakeWebSocketServer server = new FakeWebSocketServer();
                RecordingProviderContext context = new RecordingProviderContext("assemblyai")) {
            ProviderFactory factory = plugin.checkPlugin("assemblyai", ProviderKind.STT,
                    List.of("okhttp-jvm-", "jackson-databind-", "piopiy-tts-websocket-", "piopiy-plugin-assemblyai-"), "assemblyai")
                    .getFirst();
            assertThatThrownBy(() -> factory.create(ProviderConfig.of("pipeline.stt", Map.of(), Map.of()), context))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("ASSEMBLYAI_API_KEY");

            server.acceptSocket();
            ProviderConfig config = ProviderConfig.of("pipeline.stt", Map.of("url", server.baseUrl() + "/v3/ws"),
                    Map.of("ASSEMBLYAI_API_KEY", AssemblyAiSttStreamTest.KEY));
            SttService service = (SttService) factory.create(config, context);
            RecordingSttListener listener = new RecordingSttListener();
            try {
                SttStream stream = service.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), listener);
                byte[] audio = new byte[AudioFormat.PCM16_16K.bytesPer(50)];
                stream.sendAudio(audio, 0, audio.length);
                ServerSocket socket = server.takeSocket();
                assertThat(socket.nextBinary()).isEqualTo(ByteString.of(audio));
                socket.send(AssemblyAiSttStreamTest.turn(0, true, true, "Loaded from the zip.", "Loaded", "from", "the", "zip."));
                assertThat(listener.next(Transcript.class).text()).isEqualTo("Loaded from the zip.");
                stream.close();
                // the whole closing handshake, so no reader thread is left running when the plugin's loader closes
                assertThat(socket.nextMessage().path("type").asText()).isEqualTo("Terminate");
                socket.send(AssemblyAiSttStreamTest.TERMINATION);
                assertThat(socket.awaitClientClose()).isEqualTo(1000);
            } finally {
                service.close();
            }
            context.logger().assertNeverLogged(AssemblyAiSttStreamTest.KEY);
        }
    }
}
