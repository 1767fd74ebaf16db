package ai.piopiy.plugin.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded apart from the test classpath, binds the native library and recognises speech. */
class PocketsphinxPluginZipIT {

    @Test
    void loadsAndRecognisesFromTheZipAlone(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir.resolve("plugin"));
                RecordingProviderContext context = new RecordingProviderContext("pocketsphinx")) {
            ProviderFactory factory = plugin.checkPlugin("pocketsphinx", ProviderKind.STT, List.of(), "pocketsphinx").getFirst();
            assertThat(plugin.libraries()).singleElement().satisfies(n -> assertThat(n).startsWith("piopiy-plugin-pocketsphinx-"));
            assumeTrue(Files.isRegularFile(PocketsphinxSttConfig.DEFAULT_MODEL_DIR.resolve("en-us/mdef")) && Speech.fliteAvailable(),
                    "skipped: apt-get install libpocketsphinx3 pocketsphinx-en-us flite");

            try (SttService service = (SttService) factory.create(ProviderConfig.of("pipeline.stt", Map.of(), Map.of()), context)) {
                RecordingSttListener listener = new RecordingSttListener();
                SttStream stream = service.openStream(new SttStreamSpec(AudioFormat.PCM16_8K, "zip"), listener);
                Speech.play(stream, Speech.say("what is the weather in london", 8_000, dir), 8_000);

                assertThat(listener.nextTranscript().text()).isEqualTo("what is the weather in london");
                stream.close();
            }
        }
    }
}
