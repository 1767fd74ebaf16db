package ai.piopiy.plugin.silero;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.piopiy.plugin.silero.internal.OnnxNativeCache;
import ai.piopiy.plugin.silero.internal.OptimizedModelCache;
import ai.piopiy.plugin.silero.internal.SileroVadSession;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Silero VAD v5 on ONNX Runtime, in process. One loaded model serves every call: ONNX Runtime
 * sessions are safe to run from many threads, and each call's recurrent state lives in its own
 * {@link VadSession}.
 *
 * <p>The model is read and loaded into ONNX Runtime by {@link #prewarm()} or the first session,
 * whichever comes first: reading it and loading ONNX Runtime's native library and the model is
 * 120-170 ms, the largest part of a runtime's start-up, which the runtime does once it is ready for
 * calls.
 */
public final class SileroVadService implements VadService {

    public static final String NAME = "silero";

    /** The model bundled in the plugin jar, fetched and checked at build time. */
    static final String BUNDLED_MODEL = "silero_vad_v5.onnx";

    private static final Set<String> INPUTS = Set.of("input", "state", "sr");
    private static final Set<String> OUTPUTS = Set.of("output", "stateN");

    private final SileroVadConfig config;
    private volatile OrtEnvironment environment;
    private volatile OrtSession model;
    private volatile boolean closed;

    /**
     * Checks that there is a model; {@link #prewarm()} reads and loads it.
     *
     * @throws ServiceException (fatal) when the plugin jar lacks its bundled model
     */
    public SileroVadService(SileroVadConfig config) {
        this.config = requireNonNull(config, "config is null");
        if (config.modelPath() == null && SileroVadService.class.getResource(BUNDLED_MODEL) == null) {
            throw missingBundledModel();
        }
    }

    private static ServiceException missingBundledModel() {
        return new ServiceException(NAME, "the plugin jar lacks its model " + BUNDLED_MODEL
                + " (it is fetched when the plugin is built)", true, null);
    }

    /**
     * Loads ONNX Runtime and the model, unless done.
     *
     * @throws ServiceException (fatal) when ONNX Runtime does not load, or the model is not a Silero VAD v5 model
     */
    @Override
    public void prewarm() {
        model();
    }

    private OrtSession model() {
        OrtSession loaded = model;
        if (loaded != null) {
            return loaded;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the Silero VAD service is closed");
            }
            if (model == null) {
                environment = environment();
                OrtSession session = load(readModel(config));
                checkSignature(session);
                model = session;
            }
            return model;
        }
    }

    public SileroVadConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supportsSampleRate(int sampleRate) {
        return sampleRate == 8_000 || sampleRate == 16_000;
    }

    @Override
    public int preferredSampleRate() {
        return 16_000;
    }

    /**
     * @throws IllegalArgumentException when the rate is neither 8000 nor 16000 Hz
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public VadSession openSession(int sampleRate) {
        if (closed) {
            throw new IllegalStateException("the Silero VAD service is closed");
        }
        if (!supportsSampleRate(sampleRate)) {
            throw new IllegalArgumentException("Silero VAD runs at 8000 or 16000 Hz, not " + sampleRate);
        }
        OrtSession loaded = model();
        try {
            return new SileroVadSession(environment, loaded, sampleRate);
        } catch (OrtException e) {
            throw new ServiceException(NAME, "cannot allocate the model's tensors: " + e.getMessage(), e);
        }
    }

    /**
     * Releases the native model. The ONNX Runtime environment is a JVM-wide singleton that other
     * services may share, so it stays open.
     */
    @Override
    public void close() {
        OrtSession loaded;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            loaded = model;
        }
        if (loaded == null) {
            return;
        }
        try {
            loaded.close();
        } catch (OrtException e) {
            throw new ServiceException(NAME, "cannot release the model: " + e.getMessage(), e);
        }
    }

    /**
     * Creates the session, from the optimised form an earlier start cached next to the plugin when
     * there is one (a third of the start-up time), else from the model itself, caching its optimised form.
     */
    private OrtSession load(byte[] bytes) {
        Optional<OptimizedModelCache> cache = OnnxNativeCache.directory(OrtEnvironment.class)
                .map(directory -> OptimizedModelCache.of(directory, bytes));
        try {
            if (cache.isPresent() && cache.get().present()) {
                try (OrtSession.SessionOptions options = options(OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                    return environment.createSession(cache.get().file().toString(), options);
                } catch (OrtException e) {
                    // written by another ONNX Runtime, or damaged: start from the model itself
                    cache.get().discard();
                }
            }
            // the extended level is what a cached copy may hold: the levels above it are specific to this machine
            try (OrtSession.SessionOptions options = options(cache.isPresent()
                    ? OrtSession.SessionOptions.OptLevel.EXTENDED_OPT : OrtSession.SessionOptions.OptLevel.ALL_OPT)) {
                Path partial = null;
                if (cache.isPresent()) {
                    try {
                        partial = cache.get().newPartial();
                        options.setOptimizedModelFilePath(partial.toString());
                    } catch (IOException e) {
                        partial = null;
                    }
                }
                OrtSession session = environment.createSession(bytes, options);
                if (partial != null) {
                    try {
                        cache.get().commit(partial);
                    } catch (IOException e) {
                        // the next start optimises the model again
                    }
                }
                return session;
            }
        } catch (OrtException e) {
            throw new ServiceException(NAME, "cannot load the Silero VAD model from " + modelSource() + ": " + e.getMessage(), true, e);
        }
    }

    private OrtSession.SessionOptions options(OrtSession.SessionOptions.OptLevel level) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(config.threads());
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(level);
        // with more than one intra-op thread, idle pool threads would otherwise spin between
        // the short inferences and burn the cores the calls need
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static OrtEnvironment environment() {
        try {
            OnnxNativeCache.prepare(OrtEnvironment.class);
            return OrtEnvironment.getEnvironment();
        } catch (RuntimeException | LinkageError e) {
            throw new ServiceException(NAME, "ONNX Runtime's native library does not load on " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch") + ": " + e.getMessage(), true, e);
        }
    }

    private String modelSource() {
        return config.modelPath() == null ? "the plugin (" + BUNDLED_MODEL + ")" : config.modelPath().toString();
    }

    private byte[] readModel(SileroVadConfig config) {
        try {
            if (config.modelPath() != null) {
                return Files.readAllBytes(config.modelPath());
            }
            try (InputStream in = SileroVadService.class.getResourceAsStream(BUNDLED_MODEL)) {
                if (in == null) {
                    throw missingBundledModel();
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ServiceException(NAME, "cannot read the Silero VAD model from " + modelSource() + ": " + e.getMessage(), true, e);
        }
    }

    private void checkSignature(OrtSession model) {
        try {
            if (!model.getInputNames().equals(INPUTS) || !model.getOutputNames().equals(OUTPUTS)) {
                String found = "inputs " + model.getInputNames() + ", outputs " + model.getOutputNames();
                model.close();
                throw new ServiceException(NAME, modelSource() + " is not a Silero VAD v5 model: expected inputs "
                        + INPUTS + " and outputs " + OUTPUTS + ", found " + found, true, null);
            }
        } catch (OrtException e) {
            throw new ServiceException(NAME, "cannot inspect the model from " + modelSource() + ": " + e.getMessage(), true, e);
        }
    }
}
