package ai.piopiy.spi.frame;

import static java.util.Objects.requireNonNull;

/**
 * Audio from the caller: PCM16 mono at {@code sampleRate}. A system frame, so the caller's audio is
 * never queued behind the bot's work and never dropped by an interruption.
 */
public record InputAudioFrame(byte[] pcm, int sampleRate) implements SystemFrame {
    public InputAudioFrame {
        requireNonNull(pcm, "pcm is null");
    }

    public int samples() {
        return pcm.length >> 1;
    }

    public long durationNanos() {
        return (pcm.length >> 1) * 1_000_000_000L / sampleRate;
    }
}
