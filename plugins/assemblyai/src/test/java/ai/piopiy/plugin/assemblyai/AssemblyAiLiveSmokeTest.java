package ai.piopiy.plugin.assemblyai;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.assemblyai.internal.AssemblyAiSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import ai.piopiy.testing.Tones;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Talks to the real AssemblyAI when ASSEMBLYAI_API_KEY is set; skipped (with the reason) otherwise. */
class AssemblyAiLiveSmokeTest {

    @Test
    void opensASessionStreamsAndTerminatesCleanly() throws Exception {
        String key = LiveKey.require("ASSEMBLYAI_API_KEY");

        RecordingSttListener listener = new RecordingSttListener();
        try (RecordingProviderContext context = new RecordingProviderContext("assemblyai", System.getenv());
                AssemblyAiSttService service = new AssemblyAiSttProviderFactory().create(
                        ProviderConfig.of("pipeline.stt", Map.of(), System.getenv()), context)) {
            AudioFormat format = AudioFormat.PCM16_16K;
            AssemblyAiSttStream stream = (AssemblyAiSttStream) service.openStream(new SttStreamSpec(format, "live-smoke"), listener);
            byte[] tone = Tones.tone(format.sampleRate(), 440, 2000, 1000);
            int frame = format.bytesPer(20);
            for (int offset = 0; offset < tone.length; offset += frame) {
                stream.sendAudio(tone, offset, frame); // at real-time pace: AssemblyAI refuses faster audio
                Thread.sleep(20);
            }
            stream.userStoppedSpeaking();
            long closeStarted = System.nanoTime();
            stream.close();
            stream.finished().get(10, TimeUnit.SECONDS);

            assertThat(listener.errors()).isEmpty();
            // Termination arrived before the close deadline: AssemblyAI acknowledged Terminate
            assertThat(context.logger().contains("AssemblyAI ended the session of call live-smoke")).isTrue();
            assertThat(System.nanoTime() - closeStarted).isLessThan(service.config().closeTimeout().toNanos());
            context.logger().assertNeverLogged(key);
        }
    }
}
