package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.CallbackRecorder;
import java.time.Duration;

/** An STT listener that records transcripts, errors and the markers {@link #SPEECH_STARTED} / {@link #UTTERANCE_END}. */
final class SttEvents implements SttListener {

    static final String SPEECH_STARTED = "speech started";
    static final String UTTERANCE_END = "utterance end";

    final CallbackRecorder recorder = new CallbackRecorder();

    @Override
    public void onTranscript(Transcript transcript) {
        recorder.record(transcript);
    }

    @Override
    public void onSpeechStarted() {
        recorder.record(SPEECH_STARTED);
    }

    @Override
    public void onUtteranceEnd() {
        recorder.record(UTTERANCE_END);
    }

    @Override
    public void onError(ServiceException error) {
        recorder.record(error);
    }

    Object next() throws InterruptedException {
        return recorder.next(Duration.ofSeconds(5));
    }

    <T> T next(Class<T> type) throws InterruptedException {
        Object event = next();
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }
}
