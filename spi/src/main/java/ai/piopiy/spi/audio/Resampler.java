package ai.piopiy.spi.audio;

/**
 * A streaming band-limited resampler for PCM16 mono: a polyphase windowed-sinc filter for any
 * rational ratio (8k to 16k, 48k to 16k, 44.1k to 16k, ...). It keeps the filter history between
 * chunks, so a call's audio can be fed 10 or 20 ms at a time without clicks at chunk edges.
 *
 * <p>Not thread-safe: one instance per audio stream.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 8;

    private final int inputRate;
    private final int outputRate;
    private final int up;
    private final int down;
    private final int tapsPerPhase;
    /** Polyphase coefficients: {@code coefficients[phase * tapsPerPhase + k]}. */
    private final float[] coefficients;
    /** The last {@code tapsPerPhase - 1} input samples, oldest first. */
    private final float[] history;
    private long inputCount;
    private long outputCount;
    private float[] work = new float[0];

    public Resampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + inputRate + " -> " + outputRate);
        }
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        int g = gcd(inputRate, outputRate);
        this.up = outputRate / g;
        this.down = inputRate / g;
        int length = 2 * ZERO_CROSSINGS * Math.max(up, down) + 1;
        this.tapsPerPhase = (length + up - 1) / up;
        this.coefficients = design(length);
        this.history = new float[tapsPerPhase - 1];
    }

    public int inputRate() {
        return inputRate;
    }

    public int outputRate() {
        return outputRate;
    }

    public boolean isPassThrough() {
        return inputRate == outputRate;
    }

    private float[] design(int length) {
        // Low-pass at the lower Nyquist of the two rates, slightly inside it, at the upsampled rate.
        double cutoff = 0.5 / Math.max(up, down) * 0.94;
        double centre = (length - 1) / 2.0;
        double[] prototype = new double[length];
        for (int n = 0; n < length; n++) {
            double x = n - centre;
            double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double w = 0.42 - 0.5 * Math.cos(2 * Math.PI * n / (length - 1)) + 0.08 * Math.cos(4 * Math.PI * n / (length - 1));
            prototype[n] = sinc * w * up;
        }
        float[] poly = new float[up * tapsPerPhase];
        for (int phase = 0; phase < up; phase++) {
            for (int k = 0; k < tapsPerPhase; k++) {
                int n = phase + k * up;
                poly[phase * tapsPerPhase + k] = n < length ? (float) prototype[n] : 0f;
            }
        }
        return poly;
    }

    /** Resamples one chunk of PCM16 bytes; returns the resampled PCM16 bytes (possibly empty). */
    public byte[] process(byte[] pcm, int offset, int length) {
        int samples = length >> 1;
        if (isPassThrough()) {
            byte[] copy = new byte[samples * 2];
            System.arraycopy(pcm, offset, copy, 0, copy.length);
            return copy;
        }
        int h = history.length;
        int total = h + samples;
        if (work.length < total) {
            work = new float[total];
        }
        System.arraycopy(history, 0, work, 0, h);
        for (int s = 0, i = offset; s < samples; s++, i += 2) {
            work[h + s] = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
        }
        long firstInput = inputCount - h; // global index of work[0]
        long available = inputCount + samples;
        // output j needs input index floor(j * down / up) < available
        long lastOutputExclusive = ceilDiv(available * up, down);
        int outCount = (int) Math.max(0, lastOutputExclusive - outputCount);
        byte[] out = new byte[outCount * 2];
        for (int o = 0; o < outCount; o++) {
            long j = outputCount + o;
            long position = j * down;
            long base = position / up;
            int phase = (int) (position - base * up);
            int coeffBase = phase * tapsPerPhase;
            double acc = 0;
            for (int k = 0; k < tapsPerPhase; k++) {
                long index = base - k - firstInput;
                if (index < 0) {
                    break;
                }
                acc += coefficients[coeffBase + k] * work[(int) index];
            }
            int v = (int) Math.round(acc);
            short clamped = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            out[2 * o] = (byte) clamped;
            out[2 * o + 1] = (byte) (clamped >> 8);
        }
        outputCount += outCount;
        inputCount = available;
        if (total >= h) {
            System.arraycopy(work, total - h, history, 0, h);
        }
        return out;
    }

    public byte[] process(byte[] pcm) {
        return process(pcm, 0, pcm.length);
    }

    /** Forgets the filter history, for a new stream. */
    public void reset() {
        java.util.Arrays.fill(history, 0f);
        inputCount = 0;
        outputCount = 0;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
