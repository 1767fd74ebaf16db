package ai.piopiy.spi.tts;

/** One bot answer being spoken: text goes in piece by piece, audio comes out on the listener. */
public interface TtsUtterance {

    /**
     * More text to speak, usually one sentence. Providers that synthesise per request speak each
     * piece as its own request, in order.
     */
    void sendText(String text);

    /** No more text: speak what is left, then report {@link TtsListener#onDone()}. */
    void finish();

    /** Stop now (the caller interrupted): drop pending audio, tell the service. Idempotent. */
    void cancel();
}
