package ai.piopiy.plugin.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.ttswebsocket.testing.LiveTts;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Speaks one short answer through the real ElevenLabs API; runs only when ELEVENLABS_API_KEY is set. */
class ElevenLabsLiveSmokeTest {

    @Test
    void speaksTelephonyAudioThroughTheRealApi() throws Exception {
        String key = LiveKey.require(ElevenLabsTtsProviderFactory.API_KEY_ENV);
        try (RecordingProviderContext context = new RecordingProviderContext("elevenlabs", System.getenv());
                ElevenLabsTtsService service = new ElevenLabsTtsProviderFactory()
                        .create(ProviderConfig.of("pipeline.tts", Map.of(), System.getenv()), context)) {
            // 8 kHz: the ulaw_8000 path
            LiveTts.Spoken spoken = LiveTts.speak(service, AudioFormat.PCM16_8K, "Hello from Piopiy.", "This is a smoke test.");
            System.out.printf("ElevenLabs live: %s, metrics %s%n", spoken, context.recordedMetrics());
            assertThat(spoken.audioBytes()).as("at least half a second of 8 kHz audio").isGreaterThan(8_000);
            assertThat(context.recordedMetrics()).anyMatch(Metric.TimeToFirstByte.class::isInstance);
            context.logger().assertNeverLogged(key);
        }
    }
}
