package ai.piopiy.spi.tts;

/** One call's speech. Methods are called from the call's pipeline, one at a time, and must not block. */
public interface TtsSession extends AutoCloseable {

    /**
     * Starts an utterance (one bot answer). Text is fed incrementally with
     * {@link TtsUtterance#sendText}; audio arrives on {@code listener} from the provider's thread.
     * A session may have an earlier utterance still finishing; the runtime starts the next one only
     * after the previous is done or cancelled.
     */
    TtsUtterance startUtterance(TtsListener listener);

    /** Releases the session's connection. Idempotent. */
    @Override
    void close();
}
