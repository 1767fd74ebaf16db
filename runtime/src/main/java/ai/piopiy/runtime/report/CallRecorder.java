package ai.piopiy.runtime.report;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Records a call as it happens: wraps the call's transport and writes what the caller said to the
 * left channel and what the bot said to the right, each placed at the time it crossed the transport,
 * so the recording lines up with the call report's timeline.
 */
public final class CallRecorder implements CallTransport {

    private final CallTransport delegate;
    private final int rate;
    private final Track caller;
    private final Track agent;
    private volatile long startNanos;

    public CallRecorder(CallTransport delegate, int recordingRate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.rate = recordingRate;
        this.caller = new Track(new Resampler(delegate.inputFormat().sampleRate(), recordingRate));
        this.agent = new Track(new Resampler(delegate.outputFormat().sampleRate(), recordingRate));
    }

    /** One channel: samples placed by arrival time, with silence where nothing was heard. */
    private final class Track {
        private final Resampler resampler;
        private short[] samples = new short[16_000 * 30];
        private int length;

        Track(Resampler resampler) {
            this.resampler = resampler;
        }

        synchronized void add(byte[] pcm, int offset, int len, long atNanos) {
            byte[] audio = resampler.process(pcm, offset, len);
            int n = audio.length / 2;
            // audio arriving faster than real time (a burst) continues where the last piece ended
            int at = Math.max(length, (int) ((atNanos - startNanos) * rate / 1_000_000_000L) - n);
            if (at < 0) {
                at = 0;
            }
            if (at + n > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(samples.length * 2, at + n));
            }
            for (int i = 0; i < n; i++) {
                samples[at + i] = (short) ((audio[2 * i] & 0xff) | (audio[2 * i + 1] << 8));
            }
            length = Math.max(length, at + n);
        }

        synchronized short[] snapshot() {
            return Arrays.copyOf(samples, length);
        }
    }

    @Override
    public AudioFormat inputFormat() {
        return delegate.inputFormat();
    }

    @Override
    public AudioFormat outputFormat() {
        return delegate.outputFormat();
    }

    @Override
    public void start(TransportListener listener) {
        startNanos = System.nanoTime();
        delegate.start(new TransportListener() {
            @Override
            public void onAudio(byte[] pcm) {
                caller.add(pcm, 0, pcm.length, System.nanoTime());
                listener.onAudio(pcm);
            }

            @Override
            public void onCallerJoined(String participantId) {
                listener.onCallerJoined(participantId);
            }

            @Override
            public void onCallerLeft(String participantId, String reason) {
                listener.onCallerLeft(participantId, reason);
            }

            @Override
            public void onError(String message, Throwable cause, boolean fatal) {
                listener.onError(message, cause, fatal);
            }
        });
    }

    @Override
    public void writeAudio(byte[] pcm, int offset, int length) {
        agent.add(pcm, offset, length, System.nanoTime() + delegate.outputFormat().nanosOf(length));
        delegate.writeAudio(pcm, offset, length);
    }

    @Override
    public void clearOutput() {
        delegate.clearOutput();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** When recording started (the engine clock), to line the recording up with call events. */
    public long startNanos() {
        return startNanos;
    }

    public int sampleRate() {
        return rate;
    }

    public short[] callerSamples() {
        return caller.snapshot();
    }

    public short[] agentSamples() {
        return agent.snapshot();
    }

    /**
     * Writes a stereo PCM16 WAV (caller left, agent right) whose time 0 is {@code originNanos} on the
     * engine clock, such as the call's start in its report: the transport starts a little after the
     * call does (longer on a busy machine), and without this the recording would run that much ahead
     * of the report's times.
     */
    public void writeWav(Path file, long originNanos) throws IOException {
        short[] left = caller.snapshot();
        short[] right = agent.snapshot();
        // where the recording's first sample lies on the origin's time line (negative: before the origin)
        int offset = (int) ((startNanos - originNanos) * rate / 1_000_000_000L);
        int frames = Math.max(0, offset + Math.max(left.length, right.length));
        byte[] data = new byte[frames * 4];
        for (int i = Math.max(0, offset); i < frames; i++) {
            int from = i - offset;
            short l = from < left.length ? left[from] : 0;
            short r = from < right.length ? right[from] : 0;
            data[4 * i] = (byte) l;
            data[4 * i + 1] = (byte) (l >> 8);
            data[4 * i + 2] = (byte) r;
            data[4 * i + 3] = (byte) (r >> 8);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(wavHeader(data.length, 2, rate));
            out.write(data);
        }
    }

    static byte[] wavHeader(int dataBytes, int channels, int rate) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b.array();
    }
}
