package ai.piopiy.plugin.openai.internal;

/** A RIFF WAVE file around PCM16 LE mono samples: what the transcription API accepts without conversion. */
public final class Wav {

    public static final int HEADER_BYTES = 44;

    private Wav() {}

    /** The file: a 44-byte header, then {@code length} bytes of {@code pcm} from {@code offset}. */
    public static byte[] encode(byte[] pcm, int offset, int length, int sampleRate) {
        byte[] out = new byte[HEADER_BYTES + length];
        ascii(out, 0, "RIFF");
        int32(out, 4, 36 + length);
        ascii(out, 8, "WAVE");
        ascii(out, 12, "fmt ");
        int32(out, 16, 16);
        int16(out, 20, 1); // PCM
        int16(out, 22, 1); // mono
        int32(out, 24, sampleRate);
        int32(out, 28, sampleRate * 2);
        int16(out, 32, 2);
        int16(out, 34, 16);
        ascii(out, 36, "data");
        int32(out, 40, length);
        System.arraycopy(pcm, offset, out, HEADER_BYTES, length);
        return out;
    }

    private static void ascii(byte[] out, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            out[at + i] = (byte) tag.charAt(i);
        }
    }

    private static void int16(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >> 8);
    }

    private static void int32(byte[] out, int at, int v) {
        int16(out, at, v);
        int16(out, at + 2, v >> 16);
    }
}
