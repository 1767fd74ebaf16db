package ai.piopiy.plugin.ttswebsocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.Transcript;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records a speech-to-text stream's events in order, as {@link Transcript}s, {@link ServiceException}s and marker strings. */
public final class RecordingSttListener implements SttListener {

    public static final String SPEECH_STARTED = "SpeechStarted";
    public static final String UTTERANCE_END = "UtteranceEnd";

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<ServiceException> errors = new CopyOnWriteArrayList<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();

    @Override
    public void onTranscript(Transcript transcript) {
        record(transcript);
    }

    @Override
    public void onSpeechStarted() {
        record(SPEECH_STARTED);
    }

    @Override
    public void onUtteranceEnd() {
        record(UTTERANCE_END);
    }

    @Override
    public void onError(ServiceException error) {
        errors.add(error);
        record(error);
    }

    /** Every error reported so far. */
    public List<ServiceException> errors() {
        return errors;
    }

    /** The next event, failing the test if none comes within 5 s. */
    public Object next() throws InterruptedException {
        Object event = events.poll(5, TimeUnit.SECONDS);
        assertThat(event).as("an event within 5 s").isNotNull();
        return event;
    }

    /** The next event, which must be of {@code type}. */
    public <T> T next(Class<T> type) throws InterruptedException {
        return type.cast(assertThat(next()).isInstanceOf(type).actual());
    }

    /** True when two listener calls ever overlapped (the SPI promises one at a time, across reconnections too). */
    public boolean overlapped() {
        return overlapped.get();
    }

    /** Asserts that nothing arrives for {@code millis}. */
    public void assertQuietFor(long millis) throws InterruptedException {
        assertThat(events.poll(millis, TimeUnit.MILLISECONDS)).isNull();
    }

    private void record(Object event) {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
        events.add(event);
        inCall.set(false);
    }
}
