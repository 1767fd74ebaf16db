package ai.piopiy.plugin.espeak;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of {@link EspeakTtsService}; the first four are {@code espeak-ng}'s own options.
 *
 * @param binary the {@code espeak-ng} command: a name looked up on {@code PATH} or a path
 * @param voice {@code -v}: a voice or language ({@code en-us}, {@code en-gb}, {@code hi}, {@code en-us+f3})
 * @param speed {@code -s}: words per minute (80..450)
 * @param pitch {@code -p}: 0..99, 50 being espeak-ng's normal pitch
 * @param chunk how much audio each {@code onAudio} carries (the last piece of a sentence may be shorter)
 */
public record EspeakTtsConfig(String binary, String voice, int speed, int pitch, Duration chunk) {

    public static final String DEFAULT_BINARY = "espeak-ng";
    public static final String DEFAULT_VOICE = "en-us";
    public static final int DEFAULT_SPEED = 165;
    public static final int DEFAULT_PITCH = 50;
    public static final Duration DEFAULT_CHUNK = Duration.ofMillis(20);

    public EspeakTtsConfig {
        requireNonNull(binary, "binary is null");
        requireNonNull(voice, "voice is null");
        requireNonNull(chunk, "chunk is null");
        if (binary.isBlank() || voice.isBlank()) {
            throw new IllegalArgumentException("binary and voice must not be empty");
        }
        if (voice.startsWith("-")) {
            throw new IllegalArgumentException("voice must not start with '-', got " + voice);
        }
        if (speed < 80 || speed > 450) {
            throw new IllegalArgumentException("speed must be within 80..450 words per minute, got " + speed);
        }
        if (pitch < 0 || pitch > 99) {
            throw new IllegalArgumentException("pitch must be within 0..99, got " + pitch);
        }
        if (chunk.toMillis() < 10 || chunk.toMillis() > 200) {
            throw new IllegalArgumentException("chunk must be within 10..200 ms, got " + chunk.toMillis() + " ms");
        }
    }

    /** The documented defaults. */
    public static EspeakTtsConfig defaults() {
        return new EspeakTtsConfig(DEFAULT_BINARY, DEFAULT_VOICE, DEFAULT_SPEED, DEFAULT_PITCH, DEFAULT_CHUNK);
    }

    public EspeakTtsConfig withVoice(String voice) {
        return new EspeakTtsConfig(binary, voice, speed, pitch, chunk);
    }

    public EspeakTtsConfig withSpeed(int speed) {
        return new EspeakTtsConfig(binary, voice, speed, pitch, chunk);
    }

    public EspeakTtsConfig withPitch(int pitch) {
        return new EspeakTtsConfig(binary, voice, speed, pitch, chunk);
    }

    public EspeakTtsConfig withBinary(String binary) {
        return new EspeakTtsConfig(binary, voice, speed, pitch, chunk);
    }

    public EspeakTtsConfig withChunk(Duration chunk) {
        return new EspeakTtsConfig(binary, voice, speed, pitch, chunk);
    }
}
