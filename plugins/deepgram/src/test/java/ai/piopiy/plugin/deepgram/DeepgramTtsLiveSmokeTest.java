package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.ttswebsocket.testing.LiveTts;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Talks to the real Deepgram Aura when DEEPGRAM_API_KEY is set; skipped (with the reason) otherwise. */
class DeepgramTtsLiveSmokeTest {

    @Test
    void speaksTwoSentencesAsOneAnswer() throws Exception {
        String key = LiveKey.require("DEEPGRAM_API_KEY");
        try (RecordingProviderContext context = new RecordingProviderContext("deepgram-tts", System.getenv());
                DeepgramTtsService service = new DeepgramTtsProviderFactory().create(
                        ProviderConfig.of("pipeline.tts", Map.of(), System.getenv()), context)) {
            LiveTts.Spoken spoken = LiveTts.speak(service, AudioFormat.PCM16_16K, "Hello from Piopiy.", "This is a live test.");

            assertThat(spoken.audioBytes()).isGreaterThan(AudioFormat.PCM16_16K.bytesPer(1_000));
            assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class);
            context.logger().assertNeverLogged(key);
        }
    }
}
