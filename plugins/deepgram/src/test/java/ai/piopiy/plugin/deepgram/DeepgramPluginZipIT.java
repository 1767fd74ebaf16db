package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
class DeepgramPluginZipIT {

    @Test
    void theZipIsASelfContainedPluginThatTranscribes(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                FakeDeepgram fake = new FakeDeepgram();
                RecordingProviderContext context = new RecordingProviderContext("deepgram")) {
            ProviderFactory factory = plugin.checkPlugin("deepgram", ProviderKind.STT,
                    List.of("okhttp-jvm-", "jackson-core-", "piopiy-plugin-deepgram-"), "deepgram").getFirst();
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
            context.logger().assertNeverLogged(FakeDeepgram.KEY);
        }
    }
}
