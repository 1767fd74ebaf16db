package ai.piopiy.spi.audio;

/**
 * The audio of a call: signed 16-bit little-endian PCM, mono, at {@code sampleRate} Hz.
 * Every frame and every service in Piopiy speaks this format; only the rate varies.
 */
public record AudioFormat(int sampleRate) {

    public static final AudioFormat PCM16_8K = new AudioFormat(8_000);
    public static final AudioFormat PCM16_16K = new AudioFormat(16_000);
    public static final AudioFormat PCM16_24K = new AudioFormat(24_000);
    public static final AudioFormat PCM16_48K = new AudioFormat(48_000);

    public AudioFormat {
        if (sampleRate < 4_000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("sample rate must be within 4000..192000 Hz, got " + sampleRate);
        }
    }

    public static AudioFormat pcm16(int sampleRate) {
        return switch (sampleRate) {
            case 8_000 -> PCM16_8K;
            case 16_000 -> PCM16_16K;
            case 24_000 -> PCM16_24K;
            case 48_000 -> PCM16_48K;
            default -> new AudioFormat(sampleRate);
        };
    }

    /** Bytes in {@code millis} milliseconds of audio (20 ms at 16 kHz is 640 bytes). */
    public int bytesPer(int millis) {
        return sampleRate / 1000 * millis * 2;
    }

    /** Duration in nanoseconds of {@code byteCount} bytes of audio. */
    public long nanosOf(int byteCount) {
        return (byteCount / 2) * 1_000_000_000L / sampleRate;
    }
}
