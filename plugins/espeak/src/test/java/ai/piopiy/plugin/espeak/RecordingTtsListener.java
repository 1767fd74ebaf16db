package ai.piopiy.plugin.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.tts.TtsListener;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Records an utterance's audio chunks and its terminal event. */
final class RecordingTtsListener implements TtsListener {

    static final String DONE = "done";

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicInteger recorded = new AtomicInteger();
    private final AtomicLong audioBytes = new AtomicLong();

    @Override
    public void onAudio(byte[] pcm) {
        audioBytes.addAndGet(pcm.length);
        record(pcm);
    }

    @Override
    public void onDone() {
        record(DONE);
    }

    @Override
    public void onError(ServiceException error) {
        record(error);
    }

    /** The audio chunks up to the terminal event, which is returned last; fails after 20 s. */
    List<Object> untilTerminal() throws InterruptedException {
        List<Object> out = new ArrayList<>();
        while (true) {
            Object event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("an event within 20 s after %d", out.size()).isNotNull();
            out.add(event);
            if (event == DONE || event instanceof ServiceException) {
                return out;
            }
        }
    }

    Object next() throws InterruptedException {
        Object event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    /** How many events were recorded so far (queued ones included). */
    int recorded() {
        return recorded.get();
    }

    long audioBytes() {
        return audioBytes.get();
    }

    /** Asserts that no event arrives for {@code millis} beyond the first {@code count}. */
    void assertNothingAfter(int count, long millis) throws InterruptedException {
        Thread.sleep(millis);
        assertThat(recorded.get()).as("events recorded after the first %d", count).isEqualTo(count);
    }

    boolean overlapped() {
        return overlapped.get();
    }

    /** The chunks of {@code events} joined, checking that the utterance completed. */
    static byte[] audio(List<Object> events) {
        assertThat(events.getLast()).isEqualTo(DONE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.subList(0, events.size() - 1).forEach(e -> out.writeBytes((byte[]) e));
        return out.toByteArray();
    }

    private void record(Object event) {
        if (!inCall.compareAndSet(false, true)) {
            overlapped.set(true);
        }
        events.add(event);
        recorded.incrementAndGet();
        inCall.set(false);
    }
}
