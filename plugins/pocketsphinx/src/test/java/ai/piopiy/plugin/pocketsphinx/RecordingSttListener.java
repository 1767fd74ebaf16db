package ai.piopiy.plugin.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.CallbackRecorder;
import java.time.Duration;

/** Records a stream's transcripts and errors in order. */
final class RecordingSttListener implements SttListener {

    final CallbackRecorder events = new CallbackRecorder();

    @Override
    public void onTranscript(Transcript transcript) {
        events.record(transcript);
    }

    @Override
    public void onError(ServiceException error) {
        events.record(error);
    }

    /** The next transcript, failing on an error or when none comes within 10 s. */
    Transcript nextTranscript() throws InterruptedException {
        Object event = events.next(Duration.ofSeconds(10));
        assertThat(event).as("a transcript").isInstanceOf(Transcript.class);
        return (Transcript) event;
    }
}
