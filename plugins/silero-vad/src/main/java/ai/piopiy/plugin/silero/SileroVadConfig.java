package ai.piopiy.plugin.silero;

import java.nio.file.Path;

/**
 * Settings of the Silero VAD provider.
 *
 * @param threads ONNX Runtime intra-op threads per inference. One suits a server: a window is
 *     about a millisecond of work, calls run in parallel, and more threads per call only add
 *     hand-off overhead
 * @param modelPath a Silero VAD v5 ONNX file to load instead of the model bundled in the plugin,
 *     or {@code null} for the bundled one
 */
public record SileroVadConfig(int threads, Path modelPath) {

    public static final int MAX_THREADS = 64;

    public static final SileroVadConfig DEFAULTS = new SileroVadConfig(1, null);

    public SileroVadConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be within 1.." + MAX_THREADS + ", got " + threads);
        }
    }

    public SileroVadConfig withThreads(int threads) {
        return new SileroVadConfig(threads, modelPath);
    }

    public SileroVadConfig withModelPath(Path modelPath) {
        return new SileroVadConfig(threads, modelPath);
    }
}
