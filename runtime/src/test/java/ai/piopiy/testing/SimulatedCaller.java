package ai.piopiy.testing;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A caller for tests: a transport that plays a script in real time (20 ms frames on absolute
 * deadlines, from its own virtual thread) and records, with timestamps, every frame of bot audio it
 * receives. Steps: pause, speak (a tone while "talking"), wait for the bot to speak for a while (to
 * barge in), wait for the bot to be quiet, hang up.
 */
public final class SimulatedCaller implements CallTransport {

    /** One received bot audio frame. */
    public record Received(long atNanos, double rms, double frequencyHint) {}

    private sealed interface Step {}

    private record Pause(int millis) implements Step {}

    private record Speak(int millis) implements Step {}

    private record Play(byte[] pcm) implements Step {}

    private record AwaitBotSpeaking(int forMillis) implements Step {}

    private record AwaitBotQuiet(int forMillis) implements Step {}

    private record HangUp() implements Step {}

    private final AudioFormat input;
    private final AudioFormat output;
    private final List<Step> steps = new ArrayList<>();
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final List<long[]> spoke = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long lastBotAudioNanos;
    private volatile long botSpeechStartNanos;
    public volatile int clears;
    private volatile boolean isClosed;
    private Thread player;

    public SimulatedCaller(AudioFormat input, AudioFormat output) {
        this.input = input;
        this.output = output;
    }

    public SimulatedCaller pause(int millis) {
        steps.add(new Pause(millis));
        return this;
    }

    public SimulatedCaller speak(int millis) {
        steps.add(new Speak(millis));
        return this;
    }

    /** Plays recorded speech (PCM16 at the input rate), e.g. a sentence synthesised for the test. */
    public SimulatedCaller play(byte[] pcm) {
        steps.add(new Play(pcm.clone()));
        return this;
    }

    /** Waits until the bot has been speaking continuously for {@code millis}. */
    public SimulatedCaller awaitBotSpeaking(int millis) {
        steps.add(new AwaitBotSpeaking(millis));
        return this;
    }

    /** Waits until the bot has been quiet for {@code millis}. */
    public SimulatedCaller awaitBotQuiet(int millis) {
        steps.add(new AwaitBotQuiet(millis));
        return this;
    }

    public SimulatedCaller hangUp() {
        steps.add(new HangUp());
        return this;
    }

    @Override
    public AudioFormat inputFormat() {
        return input;
    }

    @Override
    public AudioFormat outputFormat() {
        return output;
    }

    @Override
    public void start(TransportListener listener) {
        player = Thread.ofVirtual().name("simulated-caller").start(() -> play(listener));
    }

    private void play(TransportListener listener) {
        listener.onCallerJoined("caller");
        long deadline = System.nanoTime();
        byte[] speech = Tones.tone(input.sampleRate(), 300, 8000, 20);
        byte[] quiet = Tones.silence(input.sampleRate(), 20);
        for (Step step : steps) {
            if (isClosed) {
                return;
            }
            switch (step) {
                case Pause p -> deadline = frames(listener, quiet, p.millis() / 20, deadline);
                case Speak s -> {
                    long start = System.nanoTime();
                    deadline = frames(listener, speech, s.millis() / 20, deadline);
                    spoke.add(new long[] {start, System.nanoTime()});
                }
                case Play p -> {
                    long start = System.nanoTime();
                    int frame = quiet.length;
                    for (int off = 0; off < p.pcm().length && !isClosed; off += frame) {
                        byte[] chunk = new byte[frame];
                        System.arraycopy(p.pcm(), off, chunk, 0, Math.min(frame, p.pcm().length - off));
                        deadline = frames(listener, chunk, 1, deadline);
                    }
                    spoke.add(new long[] {start, System.nanoTime()});
                }
                case AwaitBotSpeaking a -> {
                    // bot speech that starts after this step, still going, for at least the given time
                    long stepStart = System.nanoTime();
                    while (!isClosed && !(botSpeechStartNanos >= stepStart
                            && System.nanoTime() - lastBotAudioNanos < 100_000_000L
                            && System.nanoTime() - botSpeechStartNanos >= a.forMillis() * 1_000_000L)) {
                        deadline = frames(listener, quiet, 1, deadline);
                    }
                }
                case AwaitBotQuiet a -> {
                    while (!isClosed && !(lastBotAudioNanos != 0 && System.nanoTime() - lastBotAudioNanos >= a.forMillis() * 1_000_000L)) {
                        deadline = frames(listener, quiet, 1, deadline);
                    }
                }
                case HangUp h -> {
                    listener.onCallerLeft("caller", "hung up");
                    return;
                }
            }
        }
        // the script is over: keep the line open with silence until the call ends
        while (!isClosed) {
            deadline = frames(listener, quiet, 1, deadline);
        }
    }

    private long frames(TransportListener listener, byte[] frame, int count, long deadline) {
        for (int i = 0; i < count && !isClosed; i++) {
            long wait = deadline - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            listener.onAudio(frame.clone());
            deadline += 20_000_000L;
        }
        return deadline;
    }

    @Override
    public void writeAudio(byte[] pcm, int offset, int length) {
        long now = System.nanoTime();
        if (now - lastBotAudioNanos > 100_000_000L) {
            botSpeechStartNanos = now;
        }
        lastBotAudioNanos = now;
        received.add(new Received(now, Pcm16.rms(pcm, offset, length), zeroCrossingFrequency(pcm, offset, length)));
    }

    @Override
    public void clearOutput() {
        clears++;
    }

    @Override
    public void close() {
        isClosed = true;
        closed.countDown();
    }

    public boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return isClosed;
    }

    /** Estimates a tone's frequency from its zero crossings, to tell two test voices apart. */
    private double zeroCrossingFrequency(byte[] pcm, int offset, int length) {
        int samples = length / 2;
        int crossings = 0;
        short prev = Pcm16.sample(pcm, offset / 2);
        for (int i = 1; i < samples; i++) {
            short s = Pcm16.sample(pcm, offset / 2 + i);
            if ((prev < 0) != (s < 0)) {
                crossings++;
            }
            prev = s;
        }
        return crossings / 2.0 * output.sampleRate() / samples;
    }
}
