package ai.piopiy.testing;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming text-to-speech service for tests: every word becomes {@code wordMs} of a tone (its own
 * frequency, so tests can tell voices apart), delivered in 20 ms chunks faster than real time on its
 * own thread, optionally with word timestamps, as a streaming provider does.
 */
public final class FakeTtsService implements TtsService {

    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-tts");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final double frequency;
    private final int wordMs;
    private final int firstAudioMs;
    private final boolean timestamps;
    private final int chunkIntervalMs;
    public final List<String> texts = new CopyOnWriteArrayList<>();
    public final AtomicInteger utterances = new AtomicInteger();
    public final AtomicInteger cancelled = new AtomicInteger();
    public final AtomicInteger sessionsClosed = new AtomicInteger();

    public FakeTtsService(String name, double frequency, int wordMs, int firstAudioMs, boolean timestamps) {
        this(name, frequency, wordMs, firstAudioMs, 1, timestamps);
    }

    /** @param chunkIntervalMs time between 20 ms chunks (20 is real time) */
    public FakeTtsService(String name, double frequency, int wordMs, int firstAudioMs, int chunkIntervalMs, boolean timestamps) {
        this.chunkIntervalMs = chunkIntervalMs;
        this.name = name;
        this.frequency = frequency;
        this.wordMs = wordMs;
        this.firstAudioMs = firstAudioMs;
        this.timestamps = timestamps;
    }

    public double frequency() {
        return frequency;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TtsSession openSession(AudioFormat format, String callId) {
        return new TtsSession() {
            @Override
            public TtsUtterance startUtterance(TtsListener listener) {
                utterances.incrementAndGet();
                return new Utterance(format, listener);
            }

            @Override
            public void close() {
                sessionsClosed.incrementAndGet();
            }
        };
    }

    private final class Utterance implements TtsUtterance {
        private final AudioFormat format;
        private final TtsListener listener;
        private volatile boolean isCancelled;
        private long scheduledMs;
        private double audioSeconds;
        private boolean started;

        Utterance(AudioFormat format, TtsListener listener) {
            this.format = format;
            this.listener = listener;
        }

        @Override
        public synchronized void sendText(String text) {
            texts.add(text);
            String[] words = text.trim().split("\\s+");
            List<WordTimestamp> stamps = new ArrayList<>();
            for (String w : words) {
                stamps.add(new WordTimestamp(w, audioSeconds, audioSeconds + wordMs / 1000.0));
                audioSeconds += wordMs / 1000.0;
            }
            if (!started) {
                started = true;
                scheduledMs = firstAudioMs;
            }
            if (timestamps) {
                at(scheduledMs, () -> listener.onWordTimestamps(stamps));
            }
            byte[] audio = Tones.tone(format.sampleRate(), frequency, 6000, words.length * wordMs);
            int chunk = format.bytesPer(20);
            for (int off = 0; off < audio.length; off += chunk) {
                byte[] piece = java.util.Arrays.copyOfRange(audio, off, Math.min(audio.length, off + chunk));
                at(scheduledMs, () -> listener.onAudio(piece));
                scheduledMs += chunkIntervalMs;
            }
        }

        @Override
        public synchronized void finish() {
            at(scheduledMs, listener::onDone);
        }

        @Override
        public void cancel() {
            if (!isCancelled) {
                isCancelled = true;
                cancelled.incrementAndGet();
            }
        }

        private void at(long ms, Runnable r) {
            THREAD.schedule(() -> {
                if (!isCancelled) {
                    r.run();
                }
            }, ms, TimeUnit.MILLISECONDS);
        }
    }
}
