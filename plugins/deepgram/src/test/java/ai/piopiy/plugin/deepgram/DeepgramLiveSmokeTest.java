package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.deepgram.internal.DeepgramSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

            // one second of a quiet 440 Hz tone in 20 ms frames, at real-time pace
            byte[] frame = new byte[format.bytesPer(20)];
            for (int n = 0; n < 50; n++) {
                for (int i = 0; i < frame.length / 2; i++) {
                    double t = (n * frame.length / 2 + i) / (double) format.sampleRate();
                    short sample = (short) (Math.sin(2 * Math.PI * 440 * t) * 2000);
                    frame[2 * i] = (byte) sample;
                    frame[2 * i + 1] = (byte) (sample >> 8);
                }
                stream.sendAudio(frame, 0, frame.length);
                Thread.sleep(20);
            }
            stream.userStoppedSpeaking();
            long closeStarted = System.nanoTime();
            stream.close();
            stream.finished().get(10, TimeUnit.SECONDS);

            assertThat(listener.errors()).isEmpty();
            // Metadata arrived before the close deadline: Deepgram acknowledged CloseStream
            assertThat(context.logger().contains("Deepgram metadata of call live-smoke")).isTrue();
            assertThat(System.nanoTime() - closeStarted).isLessThan(service.config().closeTimeout().toNanos());
            context.logger().assertNeverLogged(key);
        }
    }
}
