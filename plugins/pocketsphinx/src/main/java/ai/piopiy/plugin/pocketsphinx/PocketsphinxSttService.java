package ai.piopiy.plugin.pocketsphinx;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.pocketsphinx.internal.DecoderPool;
import ai.piopiy.plugin.pocketsphinx.internal.SegmentingSttStream;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Offline speech-to-text with CMU PocketSphinx 0.8, in process: the library is called through the FFM
 * API and its decoders stay loaded for the life of the service (loading the en-us models takes about half
 * a second; decoding a sentence, a fraction of that). Recognition is segmented: each stretch of speech
 * the VAD marks is decoded when it ends and reported as one final transcript.
 */
public final class PocketsphinxSttService implements SttService {

    /** What a user installs on Debian or Ubuntu for the defaults to work. */
    public static final String DEBIAN_PACKAGES = "libpocketsphinx3 pocketsphinx-en-us";

    private final PocketsphinxSttConfig config;
    private final ProviderContext context;
    private final DecoderPool decoders;

    /**
     * Loads the library and the models ({@code config.decoders()} times); this takes a while and
     * belongs in start-up.
     *
     * @throws ServiceException (fatal) naming the missing file or library and the Debian packages to install
     */
    public PocketsphinxSttService(PocketsphinxSttConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        missingModelFile(config).ifPresent(missing -> {
            throw new ServiceException(name(), missing.problem(), true, null);
        });
        long start = context.nanoTime();
        try {
            this.decoders = DecoderPool.open(config);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(name(), "cannot load the PocketSphinx library " + config.library() + " ("
                    + e.getMessage() + "); install the Debian packages " + DEBIAN_PACKAGES
                    + " (apt-get install " + DEBIAN_PACKAGES + ") or set 'library' to the library's path", true, e);
        } catch (IllegalStateException e) {
            throw new ServiceException(name(), e.getMessage(), true, e);
        }
        context.logger().info("PocketSphinx: {} decoder(s) loaded in {} ms (hmm {}, lm {}, dict {})", decoders.size(),
                (context.nanoTime() - start) / 1_000_000, config.hmm(), config.lm(), config.dict());
    }

    /**
     * A model file that is not there.
     *
     * @param setting the setting that names it: {@code hmm}, {@code lm} or {@code dict}
     * @param problem what is missing and which Debian package brings the default model
     */
    public record MissingModelFile(String setting, String problem) {}

    /** The first model file that is missing; empty when all are there. */
    public static Optional<MissingModelFile> missingModelFile(PocketsphinxSttConfig config) {
        String hint = "; the default en-us model comes with the Debian package pocketsphinx-en-us (apt-get install "
                + DEBIAN_PACKAGES + ")";
        if (!Files.isRegularFile(config.hmm().resolve("mdef"))) {
            return Optional.of(new MissingModelFile("hmm", "no acoustic model in " + config.hmm() + " (no mdef file there)" + hint));
        }
        if (!Files.isRegularFile(config.lm())) {
            return Optional.of(new MissingModelFile("lm", "language model " + config.lm() + " not found" + hint));
        }
        if (!Files.isRegularFile(config.dict())) {
            return Optional.of(new MissingModelFile("dict", "dictionary " + config.dict() + " not found" + hint));
        }
        return Optional.empty();
    }

    public PocketsphinxSttConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        return new SegmentingSttStream(name(), decoders, context, spec, listener, config.preRoll(), config.maxSegment());
    }

    /** Frees the decoders once the segments decoding now are done (waiting at most 5 s). */
    @Override
    public void close() {
        decoders.close();
    }
}
