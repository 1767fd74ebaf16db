package ai.piopiy.plugin.simcaller.internal;

import ai.piopiy.plugin.simcaller.CallerLine;
import ai.piopiy.plugin.simcaller.SimulatedCallerConfig;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated call: a virtual thread sends the caller's audio in 20 ms frames on absolute
 * deadlines (silence between lines, like an open phone line) and watches the bot's audio to know
 * when it speaks and when it has fallen quiet.
 */
public final class SimulatedCallerTransport implements CallTransport {

    private static final long FRAME_NANOS = 20_000_000L;
    /** Bot audio gaps shorter than this are pauses within its speech, not the end of it. */
    private static final long SPEECH_GAP_NANOS = 150_000_000L;
    /** How long the caller waits for an answer that does not come before saying its next line. */
    private static final long NO_ANSWER_NANOS = 10_000_000_000L;

    private final SimulatedCallerConfig config;
    private final List<byte[]> lines;
    private final AudioFormat input;
    private final AudioFormat output;
    private volatile boolean closed;
    private volatile long lastBotAudio;
    private volatile long botSpeechStart;

    public SimulatedCallerTransport(SimulatedCallerConfig config, List<byte[]> lines) {
        this.config = config;
        this.lines = lines;
        this.input = AudioFormat.pcm16(config.inputRate());
        this.output = AudioFormat.pcm16(config.outputRate());
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
        Thread.ofVirtual().name("simulated-caller").start(() -> play(listener));
    }

    private void play(TransportListener listener) {
        listener.onCallerJoined("simulated-caller");
        long start = System.nanoTime();
        long giveUp = start + config.maxCallMillis() * 1_000_000L;
        long[] deadline = {start};
        byte[] silence = new byte[input.bytesPer(20)];
        long lastLineEnd = start;
        for (int i = 0; i < config.lines().size() && !closed; i++) {
            CallerLine line = config.lines().get(i);
            long waitStart = System.nanoTime();
            long ms = line.afterMillis() * 1_000_000L;
            while (!closed && System.nanoTime() < giveUp && !ready(line.when(), waitStart, lastLineEnd, ms)) {
                send(listener, silence, deadline);
            }
            byte[] speech = lines.get(i);
            for (int off = 0; off < speech.length && !closed; off += silence.length) {
                byte[] frame = new byte[silence.length];
                System.arraycopy(speech, off, frame, 0, Math.min(frame.length, speech.length - off));
                send(listener, frame, deadline);
            }
            lastLineEnd = System.nanoTime();
        }
        // the script is over: wait for the bot to finish answering, then hang up
        long waitStart = System.nanoTime();
        while (!closed && System.nanoTime() < giveUp
                && !(lastBotAudio > waitStart && System.nanoTime() - lastBotAudio >= config.hangUpAfterMillis() * 1_000_000L)
                && !(lastBotAudio <= waitStart && System.nanoTime() - waitStart >= 4L * config.hangUpAfterMillis() * 1_000_000L)) {
            send(listener, silence, deadline);
        }
        if (!closed) {
            listener.onCallerLeft("simulated-caller", "the script is over");
        }
    }

    private boolean ready(CallerLine.When when, long waitStart, long lastLineEnd, long nanos) {
        long now = System.nanoTime();
        return switch (when) {
            case PAUSE -> now - waitStart >= nanos;
            // the bot answered what the caller said last (or, first, greeted) and has been quiet for the
            // time asked; a bot that stays silent for NO_ANSWER_NANOS gets the next line anyway
            case BOT_QUIET -> (lastBotAudio > lastLineEnd && now - lastBotAudio >= nanos) || now - waitStart >= NO_ANSWER_NANOS;
            // the bot started speaking after we began waiting, and has gone on for the time asked
            case BOT_SPEAKING -> botSpeechStart >= waitStart && now - lastBotAudio < SPEECH_GAP_NANOS && now - botSpeechStart >= nanos;
        };
    }

    private void send(TransportListener listener, byte[] frame, long[] deadline) {
        long wait = deadline[0] - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        listener.onAudio(frame);
        deadline[0] += FRAME_NANOS;
    }

    @Override
    public void writeAudio(byte[] pcm, int offset, int length) {
        long now = System.nanoTime();
        if (now - lastBotAudio > SPEECH_GAP_NANOS) {
            botSpeechStart = now;
        }
        lastBotAudio = now;
    }

    @Override
    public void close() {
        closed = true;
    }
}
