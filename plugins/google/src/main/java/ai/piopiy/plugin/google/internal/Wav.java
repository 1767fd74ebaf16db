package ai.piopiy.plugin.google.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The PCM inside the WAV file that Text-to-Speech returns for LINEAR16. The header is walked chunk by
 * chunk rather than assumed to be 44 bytes, so an extra chunk (LIST, fact) cannot end up played as noise.
 */
final class Wav {

    /** 16-bit mono PCM at {@code sampleRate}. */
    record Pcm(int sampleRate, byte[] samples) {}

    private Wav() {}

    /**
     * @param defaultRate the rate of audio that comes without a RIFF header
     * @throws IllegalArgumentException when the file is not 16-bit mono PCM, or is cut short
     */
    static Pcm pcm(byte[] file, int defaultRate) {
        if (file.length < 12 || !tag(file, 0, "RIFF") || !tag(file, 8, "WAVE")) {
            return new Pcm(defaultRate, file.length % 2 == 0 ? file : Arrays.copyOf(file, file.length - 1));
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        int rate = -1;
        while (at + 8 <= file.length) {
            int size = in.getInt(at + 4);
            int body = at + 8;
            if (tag(file, at, "fmt ")) {
                if (size < 16 || body + 16 > file.length) {
                    throw new IllegalArgumentException("the WAV header's fmt chunk is cut short");
                }
                int format = in.getShort(body) & 0xffff;
                int channels = in.getShort(body + 2) & 0xffff;
                int bits = in.getShort(body + 14) & 0xffff;
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IllegalArgumentException("expected 16-bit mono PCM, got format " + format + ", "
                            + channels + " channels, " + bits + " bits");
                }
                rate = in.getInt(body + 4);
            } else if (tag(file, at, "data")) {
                if (rate < 0) {
                    throw new IllegalArgumentException("the WAV data comes before its fmt chunk");
                }
                // streamed WAVs may carry a placeholder size: take what is there
                int length = size < 0 || body + size > file.length ? file.length - body : size;
                return new Pcm(rate, Arrays.copyOfRange(file, body, body + (length & ~1)));
            }
            if (size < 0) {
                break;
            }
            at = body + size + (size & 1);
        }
        throw new IllegalArgumentException("the WAV file has no data chunk");
    }

    private static boolean tag(byte[] file, int at, String tag) {
        return file[at] == tag.charAt(0) && file[at + 1] == tag.charAt(1) && file[at + 2] == tag.charAt(2) && file[at + 3] == tag.charAt(3);
    }
}
