package ai.piopiy.testing;

import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A speech-to-text service for tests that "hears" a scripted list of utterances, one per stretch of
 * speech the VAD reports: while the caller speaks it sends interim transcripts growing by a word per
 * {@code msPerWord} of audio, and the final transcript {@code finalDelayMs} after the VAD stop.
 * Like a real streaming service it answers on its own thread.
 */
public final class FakeSttService implements SttService {

    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-stt");
        t.setDaemon(true);
        return t;
    });

    private final List<String> utterances;
    private final int msPerWord;
    private final int finalDelayMs;
    private final AtomicInteger next = new AtomicInteger();
    public final AtomicInteger streamsOpened = new AtomicInteger();
    public final AtomicInteger streamsClosed = new AtomicInteger();
    public final List<String> finals = new CopyOnWriteArrayList<>();

    public FakeSttService(List<String> utterances, int msPerWord, int finalDelayMs) {
        this.utterances = List.copyOf(utterances);
        this.msPerWord = msPerWord;
        this.finalDelayMs = finalDelayMs;
    }

    @Override
    public String name() {
        return "fake-stt";
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        streamsOpened.incrementAndGet();
        return new SttStream() {
            private String[] words;
            private long speechBytes;
            private int interimWords;
            private boolean closed;

            @Override
            public void sendAudio(byte[] pcm, int offset, int length) {
                if (words == null || closed) {
                    return;
                }
                speechBytes += length;
                long ms = speechBytes / 2 * 1000 / spec.format().sampleRate();
                int due = (int) Math.min(words.length, ms / msPerWord);
                if (due > interimWords) {
                    interimWords = due;
                    String text = String.join(" ", java.util.Arrays.copyOf(words, due));
                    THREAD.execute(() -> listener.onTranscript(Transcript.interim(text)));
                }
            }

            @Override
            public void userStartedSpeaking() {
                int i = next.getAndIncrement();
                words = i < utterances.size() ? utterances.get(i).split(" ") : new String[0];
                speechBytes = 0;
                interimWords = 0;
            }

            @Override
            public void userStoppedSpeaking() {
                if (words == null || words.length == 0) {
                    words = null;
                    return;
                }
                String text = String.join(" ", words);
                words = null;
                THREAD.schedule(() -> {
                    finals.add(text);
                    listener.onTranscript(Transcript.complete(text));
                }, finalDelayMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    streamsClosed.incrementAndGet();
                }
            }
        };
    }
}
