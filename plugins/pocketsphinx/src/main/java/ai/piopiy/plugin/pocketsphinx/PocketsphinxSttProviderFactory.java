package ai.piopiy.plugin.pocketsphinx;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.SttProviderFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code pocketsphinx} STT provider: maps manifest settings to {@link PocketsphinxSttConfig}. */
public final class PocketsphinxSttProviderFactory implements SttProviderFactory {

    @Override
    public String id() {
        return "pocketsphinx";
    }

    @Override
    public String description() {
        return "Offline speech-to-text with CMU PocketSphinx 0.8 (Debian libpocketsphinx3 + pocketsphinx-en-us), in process";
    }

    /**
     * @throws ConfigException when a setting is wrong or names a model file that is missing
     * @throws ai.piopiy.spi.ServiceException when the library cannot be loaded
     */
    @Override
    public PocketsphinxSttService create(ProviderConfig config, ProviderContext context) {
        PocketsphinxSttConfig settings = config(config);
        PocketsphinxSttService.missingModelFile(settings).ifPresent(missing -> {
            // blame the setting the user gave: the file's own one, else the model directory
            String key = config.has(missing.setting()) ? missing.setting() : "model_dir";
            throw new ConfigException(config.pathOf(key), missing.problem());
        });
        return new PocketsphinxSttService(settings, context);
    }

    private static Map<String, String> options(ProviderConfig config) {
        Map<String, String> options = new LinkedHashMap<>();
        config.child("options").ifPresent(child -> {
            for (String key : child.keys()) {
                if (key.startsWith("-") || PocketsphinxSttConfig.RESERVED_OPTIONS.contains(key)) {
                    throw new ConfigException(child.pathOf(key), "not allowed here: give flags without the dash,"
                            + " and the model files through model_dir, hmm, lm and dict");
                }
                Object value = child.raw(key).orElseThrow();
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new ConfigException(child.pathOf(key), "expected a string, number or boolean");
                }
                options.put(key, value instanceof Boolean b ? (b ? "yes" : "no") : value.toString());
            }
        });
        return options;
    }

    /** Reads every supported setting, with path-style errors for mistyped or out-of-range values. */
    public static PocketsphinxSttConfig config(ProviderConfig config) {
        PocketsphinxSttConfig.Builder builder = PocketsphinxSttConfig.builder();
        config.optionalString("model_dir").ifPresent(dir -> builder.modelDir(Path.of(dir)));
        config.optionalString("hmm").ifPresent(hmm -> builder.hmm(Path.of(hmm)));
        config.optionalString("lm").ifPresent(lm -> builder.lm(Path.of(lm)));
        config.optionalString("dict").ifPresent(dict -> builder.dict(Path.of(dict)));
        String library = config.string("library", PocketsphinxSttConfig.DEFAULT_LIBRARY);
        if (library.isBlank()) {
            throw new ConfigException(config.pathOf("library"), "must not be empty");
        }
        int decoders = config.integer("decoders", PocketsphinxSttConfig.DEFAULT_DECODERS);
        if (decoders < 1 || decoders > 64) {
            throw new ConfigException(config.pathOf("decoders"), "expected 1..64 decoders, got " + decoders);
        }
        int preRoll = config.integer("pre_roll_ms", (int) PocketsphinxSttConfig.DEFAULT_PRE_ROLL.toMillis());
        if (preRoll < 0 || preRoll > 2_000) {
            throw new ConfigException(config.pathOf("pre_roll_ms"), "expected 0..2000 ms, got " + preRoll);
        }
        int maxSegment = config.integer("max_segment_ms", (int) PocketsphinxSttConfig.DEFAULT_MAX_SEGMENT.toMillis());
        if (maxSegment < 1_000) {
            throw new ConfigException(config.pathOf("max_segment_ms"), "must be at least 1000 ms, got " + maxSegment);
        }
        return builder
                .options(options(config))
                .library(library)
                .decoders(decoders)
                .preRoll(Duration.ofMillis(preRoll))
                .maxSegment(Duration.ofMillis(maxSegment))
                .build();
    }
}
