package ai.piopiy.plugin.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.plugin.testkit.RecordingTtsListener;
import ai.piopiy.plugin.testkit.RecordingTtsListener.Audio;
import ai.piopiy.plugin.testkit.RecordingTtsListener.Done;
import ai.piopiy.plugin.testkit.RecordingTtsListener.Event;
import ai.piopiy.plugin.testkit.RecordingTtsListener.Failed;
import ai.piopiy.plugin.testkit.RecordingTtsListener.Words;
import ai.piopiy.plugin.testkit.TestingProviderContext;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Speaks one short answer through the real Cartesia API; runs only when CARTESIA_API_KEY is set. */
class CartesiaLiveSmokeTest {

    @Test
    void speaksThroughTheRealApi() throws Exception {
        String key = System.getenv(CartesiaTtsProviderFactory.API_KEY_ENV);
        if (key == null || key.isBlank()) {
            System.out.println("CartesiaLiveSmokeTest skipped: CARTESIA_API_KEY is not set");
        }
        assumeTrue(key != null && !key.isBlank(), "CARTESIA_API_KEY is not set");

        try (TestingProviderContext context = new TestingProviderContext(System.getenv());
                CartesiaTtsService service = new CartesiaTtsProviderFactory()
                        .create(ProviderConfig.of("pipeline.tts", Map.of(), System.getenv()), context);
                TtsSession session = service.openSession(AudioFormat.PCM16_16K, "live-smoke")) {
            RecordingTtsListener listener = new RecordingTtsListener();
            TtsUtterance utterance = session.startUtterance(listener);
            utterance.sendText("Hello from Piopiy.");
            utterance.sendText("This is a smoke test.");
            utterance.finish();
            long bytes = 0;
            int words = 0;
            for (Event e = listener.next(); !(e instanceof Done); e = listener.next()) {
                switch (e) {
                    case Audio a -> bytes += a.pcm().length;
                    case Words w -> words += w.words().size();
                    case Failed f -> throw f.error();
                    case Done d -> throw new AssertionError("unreachable");
                }
            }
            System.out.printf("Cartesia live: %d bytes of 16 kHz audio, %d timed words, metrics %s%n", bytes, words, context.recordedMetrics());
            assertThat(bytes).isGreaterThan(16_000);
            assertThat(context.recordedMetrics()).anyMatch(Metric.TimeToFirstByte.class::isInstance);
            assertThat(context.logLines()).noneMatch(line -> line.contains(key));
        }
    }
}
