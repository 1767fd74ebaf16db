package ai.piopiy.plugin.ttswebsocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.WordTimestamp;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records an utterance's callbacks in order and checks they never overlap. */
public final class RecordingTtsListener implements TtsListener {

    public sealed interface Event {}

    public record Audio(byte[] pcm) implements Event {}

    public record Words(List<WordTimestamp> words) implements Event {}

    public record Done() implements Event {}

    public record Failed(ServiceException error) implements Event {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger inCallback = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private volatile boolean overlapped;

    @Override
    public void onAudio(byte[] pcm) {
        record(new Audio(pcm));
    }

    @Override
    public void onWordTimestamps(List<WordTimestamp> words) {
        record(new Words(List.copyOf(words)));
    }

    @Override
    public void onDone() {
        record(new Done());
    }

    @Override
    public void onError(ServiceException error) {
        record(new Failed(error));
    }

    private void record(Event event) {
        if (inCallback.incrementAndGet() != 1) {
            overlapped = true;
        }
        events.add(event);
        received.incrementAndGet();
        inCallback.decrementAndGet();
    }

    /** How many callbacks were made so far. */
    public int received() {
        return received.get();
    }

    /** The next callback, waiting up to 5 s. */
    public Event next() throws InterruptedException {
        Event e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("a TTS callback within 5 s").isNotNull();
        assertThat(overlapped).as("callbacks overlapped").isFalse();
        return e;
    }

    public <E extends Event> E next(Class<E> type) throws InterruptedException {
        Event e = next();
        assertThat(e).isInstanceOf(type);
        return type.cast(e);
    }

    /** Asserts that no callback arrives within {@code millis}. */
    public void assertQuiet(long millis) throws InterruptedException {
        assertThat(events.poll(millis, TimeUnit.MILLISECONDS)).as("no further callback").isNull();
    }
}
