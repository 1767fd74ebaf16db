package ai.piopiy.plugin.simcaller.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads the PCM16 mono samples and the rate of a RIFF WAV file (as flite writes them). */
public record Wav(int sampleRate, byte[] pcm) {

    public static Wav parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12 || !tag(file, 0).equals("RIFF") || !tag(file, 8).equals("WAVE")) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int rate = -1;
        int pos = 12;
        while (pos + 8 <= file.length) {
            String id = tag(file, pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id.equals("fmt ")) {
                int format = b.getShort(body) & 0xffff;
                int channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                int bits = b.getShort(body + 14);
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IllegalArgumentException("expected PCM16 mono, got format " + format + ", " + channels + " channels, " + bits + " bits");
                }
            } else if (id.equals("data")) {
                if (rate < 0) {
                    throw new IllegalArgumentException("data chunk before fmt chunk");
                }
                int length = Math.min(size, file.length - body) & ~1;
                byte[] pcm = new byte[length];
                System.arraycopy(file, body, pcm, 0, length);
                return new Wav(rate, pcm);
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk");
    }

    private static String tag(byte[] file, int at) {
        return new String(file, at, 4, StandardCharsets.US_ASCII);
    }
}
