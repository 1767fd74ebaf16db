package ai.piopiy.plugin.silero.internal;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.piopiy.plugin.silero.SileroVadService;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.vad.VadSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * One call's Silero VAD v5 analysis: the model's recurrent state and the tail of the previous
 * window, which the model needs in front of every window (without it the probabilities collapse).
 *
 * <p>All tensors wrap direct buffers allocated here once, and the outputs are bound to them too,
 * so an inference allocates no tensor: the window is written into the input buffer in place and
 * the new state lands in the second of two state buffers, which then swap roles.
 */
public final class SileroVadSession implements VadSession {

    private static final float SCALE = 1f / 32_768f;
    private static final int STATE_SIZE = 2 * 128;
    private static final long[] STATE_SHAPE = {2, 1, 128};

    private final OrtSession model;
    private final int windowSamples;
    private final int contextSamples;
    /** The previous window's tail followed by this window, as the model takes it. */
    private final float[] samples;
    private final FloatBuffer input;
    private final FloatBuffer[] states = new FloatBuffer[2];
    private final FloatBuffer output;
    private final OnnxTensor[] tensors;
    /** Step i reads state i and writes state 1 - i. */
    private final Step[] steps = new Step[2];
    private int step;
    private boolean closed;

    private record Step(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {}

    public SileroVadSession(OrtEnvironment environment, OrtSession model, int sampleRate) throws OrtException {
        requireNonNull(environment, "environment is null");
        this.model = requireNonNull(model, "model is null");
        this.windowSamples = switch (sampleRate) {
            case 16_000 -> 512;
            case 8_000 -> 256;
            default -> throw new IllegalArgumentException("Silero VAD runs at 8000 or 16000 Hz, not " + sampleRate);
        };
        this.contextSamples = windowSamples / 8;
        this.samples = new float[contextSamples + windowSamples];
        this.input = floats(samples.length);
        this.states[0] = floats(STATE_SIZE);
        this.states[1] = floats(STATE_SIZE);
        this.output = floats(1);
        LongBuffer rate = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer().put(0, sampleRate);

        OnnxTensor inputTensor = OnnxTensor.createTensor(environment, input, new long[] {1, samples.length});
        OnnxTensor rateTensor = OnnxTensor.createTensor(environment, rate, new long[0]);
        OnnxTensor outputTensor = OnnxTensor.createTensor(environment, output, new long[] {1, 1});
        OnnxTensor state0 = OnnxTensor.createTensor(environment, states[0], STATE_SHAPE);
        OnnxTensor state1 = OnnxTensor.createTensor(environment, states[1], STATE_SHAPE);
        this.tensors = new OnnxTensor[] {inputTensor, rateTensor, outputTensor, state0, state1};
        steps[0] = new Step(Map.of("input", inputTensor, "state", state0, "sr", rateTensor),
                Map.of("output", outputTensor, "stateN", state1));
        steps[1] = new Step(Map.of("input", inputTensor, "state", state1, "sr", rateTensor),
                Map.of("output", outputTensor, "stateN", state0));
    }

    private static FloatBuffer floats(int size) {
        return ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public int windowSamples() {
        return windowSamples;
    }

    /**
     * @throws IllegalArgumentException when the window is not exactly {@link #windowSamples()} long
     * @throws IllegalStateException after {@link #close()}
     * @throws ServiceException when the model fails
     */
    @Override
    public float speechProbability(short[] window) {
        if (window.length != windowSamples) {
            throw new IllegalArgumentException("a window has " + windowSamples + " samples, got " + window.length);
        }
        if (closed) {
            throw new IllegalStateException("the VAD session is closed");
        }
        System.arraycopy(samples, windowSamples, samples, 0, contextSamples);
        for (int i = 0; i < windowSamples; i++) {
            samples[contextSamples + i] = window[i] * SCALE;
        }
        input.put(0, samples);
        Step current = steps[step];
        try (OrtSession.Result ignored = model.run(current.inputs(), current.outputs())) {
            step ^= 1;
            return output.get(0);
        } catch (OrtException e) {
            throw new ServiceException(SileroVadService.NAME, "inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void reset() {
        Arrays.fill(samples, 0f);
        for (FloatBuffer state : states) {
            for (int i = 0; i < STATE_SIZE; i++) {
                state.put(i, 0f);
            }
        }
        step = 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (OnnxTensor tensor : tensors) {
                tensor.close();
            }
        }
    }
}
