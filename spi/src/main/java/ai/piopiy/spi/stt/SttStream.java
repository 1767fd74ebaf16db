package ai.piopiy.spi.stt;

/**
 * One call's recognition stream. All methods are called from the call's pipeline, one at a time,
 * and must not block: a network client enqueues and returns.
 */
public interface SttStream extends AutoCloseable {

    /**
     * Caller audio, PCM16 in the stream's format. The array is not modified by the caller and may be
     * kept; a stream that needs its own copy makes one.
     */
    void sendAudio(byte[] pcm, int offset, int length);

    /** The VAD heard the caller start speaking. Segmented recognisers start collecting here. */
    default void userStartedSpeaking() {}

    /**
     * The VAD heard the caller stop. Segmented recognisers transcribe the segment now; streaming
     * ones may ask the service to finalise early.
     */
    default void userStoppedSpeaking() {}

    /** Closes the stream: flush what the service still holds, then release the connection. Idempotent. */
    @Override
    void close();
}
