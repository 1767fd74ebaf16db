package ai.piopiy.spi.transport;

/** Receives one call's input, from the transport's own thread. Implementations return quickly. */
public interface TransportListener {

    /** Caller audio, PCM16 at the transport's input rate; the array is handed over. */
    void onAudio(byte[] pcm);

    /** The caller is connected and can hear the bot (the greeting may start). */
    default void onCallerJoined(String participantId) {}

    /** The caller left: the call ends. */
    default void onCallerLeft(String participantId, String reason) {}

    /** The transport failed; {@code fatal} ends the call. */
    default void onError(String message, Throwable cause, boolean fatal) {}
}
