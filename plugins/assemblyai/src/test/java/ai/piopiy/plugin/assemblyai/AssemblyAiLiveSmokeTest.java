package ai.piopiy.plugin.assemblyai;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.assemblyai.internal.AssemblyAiSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.LiveStt;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.Map;
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
            long closeNanos = LiveStt.streamToneAndClose(stream, format);

            assertThat(listener.errors()).isEmpty();
            // Termination arrived before the close deadline: AssemblyAI acknowledged Terminate
            assertThat(context.logger().contains("AssemblyAI ended the session of call live-smoke")).isTrue();
            assertThat(closeNanos).isLessThan(service.config().closeTimeout().toNanos());
            context.logger().assertNeverLogged(key);
        }
    }
}
