package ai.piopiy.plugin.livekit.testing;

import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/** What the media tests send and check: paced writes, tone detection (Goertzel), WAV files, a recording listener. */
public final class CallAudio {

    private CallAudio() {}

    /** Everything a transport delivered: audio, and presence events as text. */
    public static final class Recorder implements TransportListener {
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        public final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        public volatile long firstLoudNanos;

        @Override
        public synchronized void onAudio(byte[] pcm) {
            if (firstLoudNanos == 0 && Pcm16.rms(pcm) > 500) {
                firstLoudNanos = System.nanoTime();
            }
            audio.write(pcm, 0, pcm.length);
        }

        @Override
        public void onCallerJoined(String participantId) {
            events.add("joined " + participantId);
        }

        @Override
        public void onCallerLeft(String participantId, String reason) {
            events.add("left " + participantId + " " + reason);
        }

        @Override
        public void onError(String message, Throwable cause, boolean fatal) {
            events.add("error " + message);
        }

        public synchronized byte[] audio() {
            return audio.toByteArray();
        }
    }

    /** Writes {@code pcm} in real time, 20 ms at a time, as the runtime paces output. */
    public static void play(CallTransport transport, byte[] pcm) {
        int chunk = transport.outputFormat().bytesPer(20);
        long next = System.nanoTime();
        for (int off = 0; off + chunk <= pcm.length; off += chunk) {
            transport.writeAudio(pcm, off, chunk);
            next += 20_000_000L;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    /** How many 20 ms windows of a recording carry mostly {@code hz}: loud, and ten times the power at {@code otherHz}. */
    public static int windowsOf(byte[] pcm, int rate, double hz, double otherHz) {
        int window = rate / 50;
        int count = 0;
        for (int start = 0; start + window <= pcm.length / 2; start += window) {
            if (Pcm16.rms(pcm, start * 2, window * 2) >= 1_000
                    && power(pcm, start, window, rate, hz) > 10 * power(pcm, start, window, rate, otherHz)) {
                count++;
            }
        }
        return count;
    }

    private static double power(byte[] pcm, int start, int length, int rate, double hz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < length; i++) {
            double s0 = Pcm16.sample(pcm, start + i) + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** A PCM16 mono WAV file. */
    public static void writeWav(Path file, int rate, byte[] pcm) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(pcm.length).put(pcm);
        Files.write(file, b.array());
    }
}
