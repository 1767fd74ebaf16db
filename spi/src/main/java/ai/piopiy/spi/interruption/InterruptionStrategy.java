package ai.piopiy.spi.interruption;

/**
 * Decides whether the caller's speech while the bot is talking is a real barge-in. The runtime feeds
 * it the caller's audio and transcripts heard while the bot speaks, asks {@link #shouldInterrupt()}
 * after each, and calls {@link #reset()} when a turn ends. Used from one call's pipeline only.
 */
public interface InterruptionStrategy {

    /** Caller audio (PCM16) heard while the bot speaks and the VAD says the caller is speaking. */
    default void appendAudio(byte[] pcm, int offset, int length, int sampleRate) {}

    /**
     * A transcript heard while the bot speaks. Interim results replace the previous interim one;
     * finals accumulate.
     */
    default void appendText(String text, boolean isFinal) {}

    boolean shouldInterrupt();

    void reset();
}
