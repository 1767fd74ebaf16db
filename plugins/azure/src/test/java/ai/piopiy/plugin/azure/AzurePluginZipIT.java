package ai.piopiy.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.azure.FakeAzureSpeech.Connection;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
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
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded in its own class loader as the host loads it, transcribes and speaks through local servers. */
class AzurePluginZipIT {

    @Test
    void theZipIsASelfContainedPluginWithBothProviders(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                FakeAzureSpeech stt = new FakeAzureSpeech();
                MockWebServer tts = new MockWebServer();
                RecordingProviderContext context = new RecordingProviderContext("azure")) {
            List<ProviderFactory> factories = plugin.checkPlugin("azure",
                    List.of("okhttp-jvm-", "jackson-databind-", "piopiy-tts-websocket-", "piopiy-llm-http-", "piopiy-plugin-azure-"),
                    List.of(Map.entry("azure-stt", ProviderKind.STT), Map.entry("azure-tts", ProviderKind.TTS)));
            for (ProviderFactory factory : factories) {
                assertThatThrownBy(() -> factory.create(ProviderConfig.of("pipeline.x", Map.of("region", "eastus"), Map.of()), context))
                        .isInstanceOf(ConfigException.class).hasMessageContaining("AZURE_SPEECH_KEY");
            }
            Map<String, String> env = Map.of("AZURE_SPEECH_KEY", FakeAzureSpeech.KEY);

            SttService recognizer = (SttService) factories.get(0).create(
                    ProviderConfig.of("pipeline.stt", Map.of("endpoint", stt.url()), env), context);
            try {
                RecordingSttListener events = new RecordingSttListener();
                SttStream stream = recognizer.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), events);
                Connection connection = stt.nextConnection();
                String turn = connection.next("speech.config").requestId();
                connection.next("speech.context");
                connection.next("audio");
                byte[] audio = new byte[640];
                stream.sendAudio(audio, 0, audio.length);
                assertThat(connection.awaitAudio(turn, 640)).isEqualTo(audio);
                connection.send("speech.phrase", turn,
                        "{\"RecognitionStatus\":\"Success\",\"DisplayText\":\"Loaded from the zip.\",\"Offset\":0,\"Duration\":200000}");
                assertThat(events.next(Transcript.class).text()).isEqualTo("Loaded from the zip.");
                stream.close();
            } finally {
                recognizer.close();
            }

            tts.start();
            tts.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[320])).build());
            try (TtsService speaker = (TtsService) factories.get(1).create(
                            ProviderConfig.of("pipeline.tts", Map.of("endpoint", tts.url("/cognitiveservices/v1").toString()), env), context);
                    TtsSession session = speaker.openSession(AudioFormat.PCM16_16K, "call-1")) {
                RecordingTtsListener listener = new RecordingTtsListener();
                TtsUtterance utterance = session.startUtterance(listener);
                utterance.sendText("Spoken from the zip.");
                utterance.finish();
                assertThat(listener.next(Audio.class).pcm()).hasSize(320);
                listener.next(Done.class);
            }
            context.logger().assertNeverLogged(FakeAzureSpeech.KEY);
        }
    }
}
