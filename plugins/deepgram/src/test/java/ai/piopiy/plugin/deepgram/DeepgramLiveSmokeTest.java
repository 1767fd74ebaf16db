package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.deepgram.internal.DeepgramSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.LiveStt;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Talks to the real Deepgram when DEEPGRAM_API_KEY is set; skipped (with the reason) otherwise. */
class DeepgramLiveSmokeTest {

    @Test
    void opensStreamsAndClosesCleanly() throws Exception {
        String key = LiveKey.require("DEEPGRAM_API_KEY");

        RecordingSttListener listener = new RecordingSttListener();
        try (RecordingProviderContext context = new RecordingProviderContext("deepgram", System.getenv());
                DeepgramSttService service = new DeepgramSttProviderFactory().create(
                        ProviderConfig.of("pipeline.stt", Map.of(), System.getenv()), context)) {
            AudioFormat format = AudioFormat.PCM16_16K;
            DeepgramSttStream stream = (DeepgramSttStream) service.openStream(
                    new SttStreamSpec(format, "live-smoke"), listener);

            long closeNanos = LiveStt.streamToneAndClose(stream, format);

            assertThat(listener.errors()).isEmpty();
            // Metadata arrived before the close deadline: Deepgram acknowledged CloseStream
            assertThat(context.logger().contains("Deepgram metadata of call live-smoke")).isTrue();
            assertThat(closeNanos).isLessThan(service.config().closeTimeout().toNanos());
            context.logger().assertNeverLogged(key);
        }
    }
}
