package ai.piopiy.interruptions;

import ai.piopiy.spi.interruption.InterruptionStrategy;

/**
 * Interrupts the bot once the caller has spoken for at least {@code minDuration} seconds while it
 * speaks (counting only audio the VAD calls speech).
 */
public final class MinDurationInterruptionStrategy implements InterruptionStrategy {

    private final double minDuration;
    private long samples;
    private int sampleRate = 16_000;

    /** The Python SDK's default: half a second. */
    public MinDurationInterruptionStrategy() {
        this(0.5);
    }

    public MinDurationInterruptionStrategy(double minDuration) {
        if (!(minDuration > 0)) {
            throw new IllegalArgumentException("minDuration must be positive, got " + minDuration);
        }
        this.minDuration = minDuration;
    }

    public double minDuration() {
        return minDuration;
    }

    @Override
    public void appendAudio(byte[] pcm, int offset, int length, int sampleRate) {
        this.sampleRate = sampleRate;
        samples += length >> 1;
    }

    @Override
    public boolean shouldInterrupt() {
        return samples >= (long) Math.ceil(minDuration * sampleRate);
    }

    @Override
    public void reset() {
        samples = 0;
    }

    @Override
    public String toString() {
        return "MinDurationInterruptionStrategy[minDuration=" + minDuration + "]";
    }
}
