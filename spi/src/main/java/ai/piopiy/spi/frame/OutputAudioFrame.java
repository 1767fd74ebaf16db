package ai.piopiy.spi.frame;

import static java.util.Objects.requireNonNull;

/** Audio for the caller's ear: PCM16 mono at {@code sampleRate}. */
public record OutputAudioFrame(byte[] pcm, int sampleRate) implements DataFrame {
    public OutputAudioFrame {
        requireNonNull(pcm, "pcm is null");
    }

    public long durationNanos() {
        return (pcm.length >> 1) * 1_000_000_000L / sampleRate;
    }
}
