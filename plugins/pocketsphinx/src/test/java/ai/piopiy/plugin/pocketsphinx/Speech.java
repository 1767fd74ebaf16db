package ai.piopiy.plugin.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.stt.SttStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Real speech for the tests: sentences synthesised by Debian's flite, and a way to play them into a stream. */
final class Speech {

    private Speech() {}

    /** Whether flite is installed (the Debian package {@code flite}). */
    static boolean fliteAvailable() {
        try {
            return new ProcessBuilder("flite", "-lv").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** {@code text} spoken by flite's {@code rms} voice, as PCM16 mono at {@code rate}. */
    static byte[] say(String text, int rate, Path dir) throws IOException, InterruptedException {
        Path wav = Files.createTempFile(dir, "flite", ".wav");
        Process flite = new ProcessBuilder("flite", "-voice", "rms", "-t", text, "-o", wav.toString())
                .redirectErrorStream(true).start();
        assertThat(flite.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(flite.exitValue()).as("flite's exit status").isZero();
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int sourceRate = 0;
        file.position(12);
        while (file.remaining() >= 8) {
            int id = file.getInt();
            int size = file.getInt();
            if (id == 0x20746d66) { // "fmt "
                sourceRate = file.getInt(file.position() + 4);
            } else if (id == 0x61746164) { // "data"
                byte[] pcm = Arrays.copyOfRange(file.array(), file.position(), file.position() + size);
                return rate == sourceRate ? pcm : new Resampler(sourceRate, rate).process(pcm);
            }
            file.position(file.position() + size + (size & 1));
        }
        throw new AssertionError("flite wrote no data chunk");
    }

    /**
     * Plays {@code speech} into {@code stream} as 20 ms frames the way a call's VAD would: silence first,
     * the start of speech reported only after its first 100 ms (the VAD's own delay; the pre-roll has to
     * save it), then trailing silence and the end of speech.
     */
    static void play(SttStream stream, byte[] speech, int rate) {
        int frame = rate / 50 * 2;
        byte[] silence = new byte[frame];
        for (int i = 0; i < 15; i++) {
            stream.sendAudio(silence, 0, frame);
        }
        int lateStart = rate / 10 * 2;
        for (int at = 0; at < speech.length; at += frame) {
            if (at >= lateStart && at - frame < lateStart) {
                stream.userStartedSpeaking();
            }
            stream.sendAudio(speech, at, Math.min(frame, speech.length - at));
        }
        for (int i = 0; i < 10; i++) {
            stream.sendAudio(silence, 0, frame);
        }
        stream.userStoppedSpeaking();
    }

    /** Word-level edit distance between what was said and what was heard. */
    static int wordErrors(String said, String heard) {
        List<String> a = words(said);
        List<String> b = words(heard);
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int j = 0; j <= b.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.size(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.size(); j++) {
                int substitute = previous[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.size()];
    }

    private static List<String> words(String text) {
        String clean = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").trim();
        return clean.isEmpty() ? List.of() : List.of(clean.split("\\s+"));
    }
}
