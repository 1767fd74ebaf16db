package ai.piopiy.spi.vad;

/** One call's voice-activity analysis. Used from the call's pipeline only, one window at a time. */
public interface VadSession extends AutoCloseable {

    /** How many samples the model wants per window (512 at 16 kHz for Silero). */
    int windowSamples();

    /** Speech probability in [0, 1] of one window of exactly {@link #windowSamples()} samples. */
    float speechProbability(short[] window);

    /** Forgets the recurrent state, as at the start of a call. */
    void reset();

    @Override
    default void close() {}
}
