package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.ttswebsocket.testing.FakeWebSocketServer;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded in its own class loader as the host loads it, transcribes and speaks through local servers. */
class DeepgramPluginZipIT {

    @Test
    void theZipIsASelfContainedPluginThatTranscribesAndSpeaks(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                FakeDeepgram fake = new FakeDeepgram();
                FakeWebSocketServer speakServer = new FakeWebSocketServer();
                RecordingProviderContext context = new RecordingProviderContext("deepgram")) {
            List<ProviderFactory> factories = plugin.checkPlugin("deepgram",
                    List.of("okhttp-jvm-", "jackson-core-", "piopiy-tts-websocket-", "piopiy-plugin-deepgram-"),
                    List.of(Map.entry("deepgram", ProviderKind.STT), Map.entry("deepgram-tts", ProviderKind.TTS)));
            ProviderFactory factory = factories.getFirst();
            assertThatThrownBy(() -> factory.create(ProviderConfig.of("pipeline.stt", Map.of(), Map.of()), context))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("DEEPGRAM_API_KEY");

            ProviderConfig config = ProviderConfig.of("pipeline.stt", Map.of("url", fake.url()), Map.of("DEEPGRAM_API_KEY", FakeDeepgram.KEY));
            SttService service = (SttService) factory.create(config, context);
            RecordingSttListener listener = new RecordingSttListener();
            try {
                SttStream stream = service.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), listener);
                byte[] audio = new byte[640];
                stream.sendAudio(audio, 0, audio.length);
                FakeDeepgram.Connection connection = fake.nextConnection();
                assertThat(connection.nextFrame(ByteString.class)).isEqualTo(ByteString.of(audio));
                connection.send(FakeDeepgram.results("Loaded from the zip.", true, true, false));
                assertThat(listener.next(Transcript.class).text()).isEqualTo("Loaded from the zip.");
                stream.close();
            } finally {
                service.close();
            }

            speakServer.acceptSocket();
            TtsService tts = (TtsService) factories.get(1).create(ProviderConfig.of("pipeline.tts",
                    Map.of("base_url", speakServer.baseUrl()), Map.of("DEEPGRAM_API_KEY", FakeDeepgram.KEY)), context);
            try (TtsSession session = tts.openSession(AudioFormat.PCM16_16K, "call-1")) {
                RecordingTtsListener spoken = new RecordingTtsListener();
                TtsUtterance utterance = session.startUtterance(spoken);
                utterance.sendText("Spoken from the zip.");
                utterance.finish();
                FakeWebSocketServer.ServerSocket socket = speakServer.takeSocket();
                assertThat(socket.nextMessage().path("text").asText()).isEqualTo("Spoken from the zip. ");
                byte[] audio = new byte[320];
                socket.send(ByteString.of(audio));
                assertThat(spoken.next(RecordingTtsListener.Audio.class).pcm()).isEqualTo(audio);
                socket.send(DeepgramTtsServiceTest.FLUSHED);
                spoken.next(RecordingTtsListener.Done.class);
            } finally {
                tts.close();
            }
            context.logger().assertNeverLogged(FakeDeepgram.KEY);
        }
    }
}
