package ai.piopiy.plugin.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PocketsphinxSttProviderFactoryTest {

    @Test
    void isFoundThroughServiceLoader() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("pocketsphinx"))
                .toList();

        assertThat(found).singleElement().isInstanceOfSatisfying(PocketsphinxSttProviderFactory.class, factory -> {
            assertThat(factory.kind()).isEqualTo(ProviderKind.STT);
            assertThat(factory.secretKeys()).isEmpty();
            assertThat(factory.description()).contains("PocketSphinx");
        });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of(), Map.of());
        PocketsphinxSttConfig config = PocketsphinxSttProviderFactory.config(settings);

        assertThat(config.library()).isEqualTo("libpocketsphinx.so.3");
        assertThat(config.hmm()).isEqualTo(Path.of("/usr/share/pocketsphinx/model/en-us/en-us"));
        assertThat(config.lm()).isEqualTo(Path.of("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"));
        assertThat(config.dict()).isEqualTo(Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"));
        assertThat(config.decoders()).isEqualTo(1);
        assertThat(config.preRoll()).isEqualTo(Duration.ofMillis(300));
        assertThat(config.maxSegment()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.options()).isEmpty();
        assertThat(config.effectiveOptions()).containsExactly(Map.entry("cmn", "batch"), Map.entry("maxhmmpf", "3000"),
                Map.entry("maxwpf", "5"), Map.entry("topn", "2"));
        assertThat(config).isEqualTo(PocketsphinxSttConfig.builder().build());
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySettingAndTheFileSettingsOverrideTheModelDirectory() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model_dir", "/opt/models/en-in");
        values.put("lm", "/opt/models/shop.lm.bin");
        values.put("library", "/opt/lib/libpocketsphinx.so.3");
        values.put("decoders", 3);
        values.put("pre_roll_ms", "200");
        values.put("max_segment_ms", 15000);
        values.put("options", Map.of("beam", "1e-60", "maxhmmpf", 10000, "bestpath", false));
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", values, Map.of());

        PocketsphinxSttConfig config = PocketsphinxSttProviderFactory.config(settings);

        assertThat(config).isEqualTo(new PocketsphinxSttConfig("/opt/lib/libpocketsphinx.so.3",
                Path.of("/opt/models/en-in/en-us"), Path.of("/opt/models/shop.lm.bin"),
                Path.of("/opt/models/en-in/cmudict-en-us.dict"), 3, Duration.ofMillis(200), Duration.ofSeconds(15),
                Map.of("beam", "1e-60", "maxhmmpf", "10000", "bestpath", "no")));
        assertThat(config.effectiveOptions()).containsExactly(Map.entry("beam", "1e-60"), Map.entry("bestpath", "no"),
                Map.entry("cmn", "batch"), Map.entry("maxhmmpf", "10000"), Map.entry("maxwpf", "5"), Map.entry("topn", "2"));
        assertThat(PocketsphinxSttProviderFactory.config(ProviderConfig.of("pipeline.stt",
                Map.of("hmm", "/a", "dict", "/b.dict"), Map.of())))
                .isEqualTo(PocketsphinxSttConfig.builder().hmm(Path.of("/a")).dict(Path.of("/b.dict")).build());
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void unknownSettingsAreLeftForTheRuntimeToReport() {
        ProviderConfig settings = ProviderConfig.of("pipeline.stt", Map.of("language", "en"), Map.of());
        PocketsphinxSttProviderFactory.config(settings);

        assertThat(settings.unreadPaths()).containsExactly("pipeline.stt.language");
    }

    @Test
    void wrongSettingsGivePathStyleErrors() {
        assertError(Map.of("decoders", 0), "pipeline.stt.decoders: expected 1..64 decoders, got 0");
        assertError(Map.of("decoders", "two"), "pipeline.stt.decoders: expected an integer but got the string \"two\"");
        assertError(Map.of("pre_roll_ms", -1), "pipeline.stt.pre_roll_ms: expected 0..2000 ms, got -1");
        assertError(Map.of("max_segment_ms", 10), "pipeline.stt.max_segment_ms: must be at least 1000 ms, got 10");
        assertError(Map.of("library", " "), "pipeline.stt.library: must not be empty");
        assertError(Map.of("model_dir", 5), "pipeline.stt.model_dir: expected a string but got a number 5");
        assertError(Map.of("options", Map.of("-beam", "1e-60")), "pipeline.stt.options.-beam: not allowed here:"
                + " give flags without the dash, and the model files through model_dir, hmm, lm and dict");
        assertError(Map.of("options", Map.of("lm", "/x.lm")), "pipeline.stt.options.lm: not allowed here:"
                + " give flags without the dash, and the model files through model_dir, hmm, lm and dict");
        assertError(Map.of("options", Map.of("beam", List.of())), "pipeline.stt.options.beam: expected a string, number or boolean");
        assertError(Map.of("options", "fast"), "pipeline.stt.options: expected an object but got the string \"fast\"");
    }

    @Test
    void aMissingModelNamesTheSettingAndThePackage() {
        try (RecordingProviderContext context = new RecordingProviderContext("pocketsphinx")) {
            assertThatThrownBy(() -> new PocketsphinxSttProviderFactory().create(
                    ProviderConfig.of("pipeline.stt", Map.of("model_dir", "/nonexistent/en-us"), Map.of()), context))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("pipeline.stt.model_dir: no acoustic model in /nonexistent/en-us/en-us (no mdef file there);"
                            + " the default en-us model comes with the Debian package pocketsphinx-en-us"
                            + " (apt-get install libpocketsphinx3 pocketsphinx-en-us)");
            assertThatThrownBy(() -> new PocketsphinxSttProviderFactory().create(
                    ProviderConfig.of("pipeline.stt", Map.of("dict", "/nonexistent.dict"), Map.of()), context))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("pipeline.stt.dict: dictionary /nonexistent.dict not found;");
        }
    }

    private static void assertError(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> PocketsphinxSttProviderFactory.config(ProviderConfig.of("pipeline.stt", values, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
