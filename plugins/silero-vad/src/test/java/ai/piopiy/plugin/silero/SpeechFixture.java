package ai.piopiy.plugin.silero;

import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.audio.Resampler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real speech with known boundaries: espeak-ng says two sentences, each trimmed to where its
 * energy starts and ends, laid between stretches of faint noise (a quiet room, not digital zero).
 */
record SpeechFixture(int sampleRate, short[] samples, List<Segment> speech) {

    static final String FIRST = "Hello, I would like to book a table for two people tonight.";
    static final String SECOND = "My account number is nine four seven two.";

    /** Speech from {@code start} (inclusive) to {@code end} (exclusive), in samples. */
    record Segment(int start, int end) {}

    private static final Map<Integer, SpeechFixture> CACHE = new ConcurrentHashMap<>();

    /** Silence 1 s, first sentence, silence 1.2 s, second sentence, silence 1 s. */
    static SpeechFixture twoSentences(int sampleRate) {
        return CACHE.computeIfAbsent(sampleRate, rate -> build(rate, 1.0, 1.2, 1.0));
    }

    private static SpeechFixture build(int rate, double lead, double gap, double tail) {
        short[] first = speak(FIRST, rate);
        short[] second = speak(SECOND, rate);
        int leadSamples = (int) (lead * rate);
        int gapSamples = (int) (gap * rate);
        int total = leadSamples + first.length + gapSamples + second.length + (int) (tail * rate);
        short[] out = new short[total];
        Random noise = new Random(42);
        for (int i = 0; i < total; i++) {
            out[i] = (short) Math.round(noise.nextGaussian() * 30); // about -60 dBFS
        }
        int firstStart = leadSamples;
        mix(out, first, firstStart);
        int secondStart = firstStart + first.length + gapSamples;
        mix(out, second, secondStart);
        return new SpeechFixture(rate, out, List.of(
                new Segment(firstStart, firstStart + first.length),
                new Segment(secondStart, secondStart + second.length)));
    }

    private static void mix(short[] into, short[] speech, int at) {
        for (int i = 0; i < speech.length; i++) {
            into[at + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, into[at + i] + speech[i]));
        }
    }

    /** One sentence from espeak-ng at {@code rate}, without its leading and trailing silence. */
    static short[] speak(String text, int rate) {
        Path wav;
        try {
            wav = Files.createTempFile("piopiy-silero-", ".wav");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Process process;
            try {
                process = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "150", "-w", wav.toString(), text)
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("espeak-ng is needed to make the speech fixtures: install it "
                        + "(apt-get install espeak-ng; CI does so from .ci/debian-packages)", e);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("espeak-ng failed: " + new String(process.getInputStream().readAllBytes()));
            }
            Wav decoded = readWav(Files.readAllBytes(wav));
            byte[] pcm = decoded.rate() == rate ? decoded.pcm() : new Resampler(decoded.rate(), rate).process(decoded.pcm());
            short[] all = new short[pcm.length / 2];
            Pcm16.toShorts(pcm, 0, all, all.length);
            return trim(all, rate);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(wav);
            } catch (IOException ignored) {
                // a leftover temp file does not matter
            }
        }
    }

    /** Cuts to the first and last 5 ms frame louder than about -50 dBFS. */
    private static short[] trim(short[] samples, int rate) {
        int frame = rate / 200;
        int first = -1;
        int last = -1;
        for (int f = 0; f + frame <= samples.length; f += frame) {
            long sum = 0;
            for (int i = f; i < f + frame; i++) {
                sum += (long) samples[i] * samples[i];
            }
            if (Math.sqrt((double) sum / frame) > 100) {
                if (first < 0) {
                    first = f;
                }
                last = f + frame;
            }
        }
        if (first < 0) {
            throw new IllegalStateException("espeak-ng produced silence");
        }
        short[] out = new short[last - first];
        System.arraycopy(samples, first, out, 0, out.length);
        return out;
    }

    record Wav(int rate, byte[] pcm) {}

    /** A RIFF/WAVE file of mono PCM16: finds the fmt and data chunks, skipping any others. */
    static Wav readWav(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalStateException("not a RIFF/WAVE file");
        }
        int rate = -1;
        int at = 12;
        while (at + 8 <= file.length) {
            int id = b.getInt(at);
            int size = b.getInt(at + 4);
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(at + 8);
                int channels = b.getShort(at + 10);
                int bits = b.getShort(at + 22);
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IllegalStateException("expected mono PCM16, got format " + format + ", " + channels + " channels, " + bits + " bits");
                }
                rate = b.getInt(at + 12);
            } else if (id == 0x61746164) { // "data"
                // espeak-ng writing to a file may leave the size as a placeholder: take what is there
                int length = Math.min(size < 0 ? Integer.MAX_VALUE : size, file.length - at - 8) & ~1;
                byte[] pcm = new byte[length];
                System.arraycopy(file, at + 8, pcm, 0, length);
                if (rate < 0) {
                    throw new IllegalStateException("data chunk before fmt chunk");
                }
                return new Wav(rate, pcm);
            }
            at += 8 + size + (size & 1);
        }
        throw new IllegalStateException("no data chunk");
    }

    double seconds(int sample) {
        return (double) sample / sampleRate;
    }

    /** Splits the audio into whole windows (the tail that does not fill one is dropped). */
    List<short[]> windows(int windowSamples) {
        List<short[]> out = new ArrayList<>();
        for (int at = 0; at + windowSamples <= samples.length; at += windowSamples) {
            short[] w = new short[windowSamples];
            System.arraycopy(samples, at, w, 0, windowSamples);
            out.add(w);
        }
        return out;
    }
}
