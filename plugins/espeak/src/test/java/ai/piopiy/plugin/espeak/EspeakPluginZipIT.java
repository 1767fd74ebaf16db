package ai.piopiy.plugin.espeak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded apart from the test classpath, finds its factory and speaks. */
class EspeakPluginZipIT {

    @Test
    void loadsAndSpeaksFromTheZipAlone(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                RecordingProviderContext context = new RecordingProviderContext("espeak")) {
            ProviderFactory factory = plugin.checkPlugin("espeak", ProviderKind.TTS, List.of(), "espeak").getFirst();
            assertThat(plugin.libraries()).singleElement().satisfies(n -> assertThat(n).startsWith("piopiy-plugin-espeak-"));
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/espeak-ng")), "skipped: apt-get install espeak-ng");

            try (TtsService service = (TtsService) factory.create(ProviderConfig.of("pipeline.tts", Map.of(), Map.of()), context)) {
                RecordingTtsListener listener = new RecordingTtsListener();
                TtsUtterance utterance = service.openSession(AudioFormat.PCM16_8K, "zip").startUtterance(listener);
                utterance.sendText("Hello from the plugin.");
                utterance.finish();

                assertThat(RecordingTtsListener.audio(listener.untilTerminal()).length).isGreaterThan(8_000);
            }
        }
    }
}
