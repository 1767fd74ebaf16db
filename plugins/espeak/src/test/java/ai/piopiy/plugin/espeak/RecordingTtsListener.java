package ai.piopiy.plugin.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.testing.CallbackRecorder;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Records an utterance's audio chunks and its terminal event. */
final class RecordingTtsListener implements TtsListener {

    static final String DONE = "done";

    final CallbackRecorder events = new CallbackRecorder();
    private final AtomicLong audioBytes = new AtomicLong();

    @Override
    public void onAudio(byte[] pcm) {
        audioBytes.addAndGet(pcm.length);
        events.record(pcm);
    }

    @Override
    public void onDone() {
        events.record(DONE);
    }

    @Override
    public void onError(ServiceException error) {
        events.record(error);
    }

    /** The audio chunks up to the terminal event, which is returned last. */
    List<Object> untilTerminal() throws InterruptedException {
        return events.until(e -> e == DONE || e instanceof ServiceException, Duration.ofSeconds(20));
    }

    Object next() throws InterruptedException {
        return events.next(Duration.ofSeconds(10));
    }

    long audioBytes() {
        return audioBytes.get();
    }

    /** The chunks of {@code events} joined, checking that the utterance completed. */
    static byte[] audio(List<Object> events) {
        assertThat(events.getLast()).isEqualTo(DONE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.subList(0, events.size() - 1).forEach(e -> out.writeBytes((byte[]) e));
        return out.toByteArray();
    }
}
