package ai.piopiy.spi.tts;

import ai.piopiy.spi.ServiceException;
import java.util.List;

/** Receives an utterance's audio, from the provider's thread, one call at a time. */
public interface TtsListener {

    /** PCM16 audio at the session's rate; the array is handed over to the runtime. */
    void onAudio(byte[] pcm);

    /**
     * When words are spoken, relative to the start of this utterance's audio. Optional: providers
     * that offer timestamps report them, and the runtime uses them to know what the caller heard.
     */
    default void onWordTimestamps(List<WordTimestamp> words) {}

    /** All audio of the utterance has been delivered. */
    void onDone();

    void onError(ServiceException error);
}
