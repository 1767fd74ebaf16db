package ai.piopiy.plugin.pocketsphinx;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings of {@link PocketsphinxSttService}. The defaults are the files of Debian's
 * {@code pocketsphinx-en-us} package and the library of {@code libpocketsphinx3}.
 *
 * @param library the shared library to load: a name the dynamic linker resolves ({@code libpocketsphinx.so.3})
 *     or a path
 * @param hmm the acoustic model directory ({@code -hmm})
 * @param lm the language model ({@code -lm})
 * @param dict the pronunciation dictionary ({@code -dict})
 * @param decoders how many decoders to keep loaded; that many segments (from any calls) decode at once,
 *     the rest wait their turn. Each one holds its own copy of the models.
 * @param preRoll audio kept from before the VAD's start of speech, so the first phoneme is not cut off
 * @param maxSegment the longest stretch of speech decoded; audio beyond it is ignored until the next segment
 * @param options further decoder flags ({@code -beam}, {@code -maxhmmpf}, ...) without the leading dash, laid
 *     over {@link #DEFAULT_OPTIONS}; the model files have their own settings
 */
public record PocketsphinxSttConfig(String library, Path hmm, Path lm, Path dict, int decoders, Duration preRoll,
        Duration maxSegment, Map<String, String> options) {

    public static final String DEFAULT_LIBRARY = "libpocketsphinx.so.3";
    public static final Path DEFAULT_MODEL_DIR = Path.of("/usr/share/pocketsphinx/model/en-us");
    public static final int DEFAULT_DECODERS = 1;
    public static final Duration DEFAULT_PRE_ROLL = Duration.ofMillis(300);
    public static final Duration DEFAULT_MAX_SEGMENT = Duration.ofSeconds(30);
    /**
     * The plugin's decoder flags. {@code cmn batch} normalises each segment on its own (the library's default,
     * live CMN, would carry one caller's line into the next segment decoded, whichever call it belongs to).
     * The beam limits are CMU's advice for real-time decoding: on the test sentences they cut the decode
     * time about three-fold with the same words recognised.
     */
    public static final Map<String, String> DEFAULT_OPTIONS = Map.of("cmn", "batch", "maxhmmpf", "3000", "maxwpf", "5", "topn", "2");
    /** Flags that have their own settings (or that the plugin sets itself) and may not be given as options. */
    public static final Set<String> RESERVED_OPTIONS = Set.of("hmm", "lm", "dict", "logfn", "samprate", "input_endian");

    public PocketsphinxSttConfig {
        requireNonNull(library, "library is null");
        requireNonNull(hmm, "hmm is null");
        requireNonNull(lm, "lm is null");
        requireNonNull(dict, "dict is null");
        requireNonNull(preRoll, "preRoll is null");
        requireNonNull(maxSegment, "maxSegment is null");
        requireNonNull(options, "options is null");
        for (String key : options.keySet()) {
            if (key.startsWith("-") || RESERVED_OPTIONS.contains(key)) {
                throw new IllegalArgumentException("option '" + key + "' is not allowed: give flags without the dash,"
                        + " and the model files through their own settings");
            }
        }
        options = Collections.unmodifiableMap(new TreeMap<>(options));
        if (library.isBlank()) {
            throw new IllegalArgumentException("library must not be empty");
        }
        if (decoders < 1) {
            throw new IllegalArgumentException("decoders must be at least 1, got " + decoders);
        }
        if (preRoll.isNegative() || maxSegment.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("preRoll must not be negative and maxSegment must be at least 1 s");
        }
    }

    /** The decoder's flags: {@link #DEFAULT_OPTIONS} with {@link #options} laid over them. */
    public Map<String, String> effectiveOptions() {
        Map<String, String> all = new TreeMap<>(DEFAULT_OPTIONS);
        all.putAll(options);
        return all;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the documented defaults. */
    public static final class Builder {
        private String library = DEFAULT_LIBRARY;
        private Path hmm = DEFAULT_MODEL_DIR.resolve("en-us");
        private Path lm = DEFAULT_MODEL_DIR.resolve("en-us.lm.bin");
        private Path dict = DEFAULT_MODEL_DIR.resolve("cmudict-en-us.dict");
        private int decoders = DEFAULT_DECODERS;
        private Duration preRoll = DEFAULT_PRE_ROLL;
        private Duration maxSegment = DEFAULT_MAX_SEGMENT;
        private Map<String, String> options = Map.of();

        private Builder() {}

        /** Points hmm, lm and dict at a directory laid out like {@code pocketsphinx-en-us}'s. */
        public Builder modelDir(Path modelDir) {
            this.hmm = modelDir.resolve("en-us");
            this.lm = modelDir.resolve("en-us.lm.bin");
            this.dict = modelDir.resolve("cmudict-en-us.dict");
            return this;
        }

        public Builder library(String library) {
            this.library = library;
            return this;
        }

        public Builder hmm(Path hmm) {
            this.hmm = hmm;
            return this;
        }

        public Builder lm(Path lm) {
            this.lm = lm;
            return this;
        }

        public Builder dict(Path dict) {
            this.dict = dict;
            return this;
        }

        public Builder decoders(int decoders) {
            this.decoders = decoders;
            return this;
        }

        public Builder preRoll(Duration preRoll) {
            this.preRoll = preRoll;
            return this;
        }

        public Builder maxSegment(Duration maxSegment) {
            this.maxSegment = maxSegment;
            return this;
        }

        public Builder options(Map<String, String> options) {
            this.options = options;
            return this;
        }

        public PocketsphinxSttConfig build() {
            return new PocketsphinxSttConfig(library, hmm, lm, dict, decoders, preRoll, maxSegment, options);
        }
    }
}
