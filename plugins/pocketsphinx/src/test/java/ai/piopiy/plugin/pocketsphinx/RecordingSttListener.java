package ai.piopiy.plugin.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.Transcript;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records a stream's transcripts and errors in order. */
final class RecordingSttListener implements SttListener {

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();

    @Override
    public void onTranscript(Transcript transcript) {
        record(transcript);
    }

    @Override
    public void onError(ServiceException error) {
        record(error);
    }

    /** The next transcript, failing on an error or when none comes within 10 s. */
    Transcript nextTranscript() throws InterruptedException {
        Object event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a transcript within 10 s").isInstanceOf(Transcript.class);
        return (Transcript) event;
    }

    void assertQuietFor(long millis) throws InterruptedException {
        assertThat(events.poll(millis, TimeUnit.MILLISECONDS)).isNull();
    }

    boolean overlapped() {
        return overlapped.get();
    }

    private void record(Object event) {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
        events.add(event);
        inCall.set(false);
    }
}
