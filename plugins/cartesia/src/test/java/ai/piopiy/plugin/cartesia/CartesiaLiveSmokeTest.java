package ai.piopiy.plugin.cartesia;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.ttswebsocket.testing.LiveTts;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Speaks one short answer through the real Cartesia API; runs only when CARTESIA_API_KEY is set. */
class CartesiaLiveSmokeTest {

    @Test
    void speaksThroughTheRealApi() throws Exception {
        String key = LiveKey.require(CartesiaTtsProviderFactory.API_KEY_ENV);
        try (RecordingProviderContext context = new RecordingProviderContext("cartesia", System.getenv());
                CartesiaTtsService service = new CartesiaTtsProviderFactory()
                        .create(ProviderConfig.of("pipeline.tts", Map.of(), System.getenv()), context)) {
            LiveTts.Spoken spoken = LiveTts.speak(service, AudioFormat.PCM16_16K, "Hello from Piopiy.", "This is a smoke test.");
            System.out.printf("Cartesia live: %s, metrics %s%n", spoken, context.recordedMetrics());
            assertThat(spoken.audioBytes()).as("at least half a second of 16 kHz audio").isGreaterThan(16_000);
            assertThat(spoken.timedWords()).isPositive();
            assertThat(context.recordedMetrics()).anyMatch(Metric.TimeToFirstByte.class::isInstance);
            context.logger().assertNeverLogged(key);
        }
    }
}
