package ai.piopiy.spi.stt;

import ai.piopiy.spi.ServiceException;

/**
 * Receives a stream's results. Called from the provider's own thread, one call at a time; the
 * runtime hands each result over to the call's pipeline and returns at once.
 */
public interface SttListener {

    void onTranscript(Transcript transcript);

    /** The service detected the start of speech (optional: not every provider sends it). */
    default void onSpeechStarted() {}

    /** The service decided the utterance ended (Deepgram's UtteranceEnd, for example). */
    default void onUtteranceEnd() {}

    /** A failure; the stream reports whether the call can go on through {@link ServiceException#fatal()}. */
    void onError(ServiceException error);
}
