package ai.piopiy.spi.audio;

/** Small allocation-free helpers over PCM16 little-endian byte arrays. */
public final class Pcm16 {

    private Pcm16() {}

    public static short sample(byte[] pcm, int sampleIndex) {
        int i = sampleIndex << 1;
        return (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
    }

    public static void putSample(byte[] pcm, int sampleIndex, short value) {
        int i = sampleIndex << 1;
        pcm[i] = (byte) value;
        pcm[i + 1] = (byte) (value >> 8);
    }

    /** Root mean square of the samples in {@code pcm[offset, offset + length)} (a byte range). */
    public static double rms(byte[] pcm, int offset, int length) {
        int samples = length >> 1;
        if (samples == 0) {
            return 0;
        }
        long sum = 0;
        for (int i = offset, end = offset + (samples << 1); i < end; i += 2) {
            int s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            sum += (long) s * s;
        }
        return Math.sqrt((double) sum / samples);
    }

    public static double rms(byte[] pcm) {
        return rms(pcm, 0, pcm.length);
    }

    /** Decodes {@code samples} samples starting at byte {@code offset} into {@code out[0, samples)}. */
    public static void toShorts(byte[] pcm, int offset, short[] out, int samples) {
        for (int s = 0, i = offset; s < samples; s++, i += 2) {
            out[s] = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
        }
    }

    public static byte[] fromShorts(short[] samples, int count) {
        byte[] out = new byte[count * 2];
        for (int s = 0; s < count; s++) {
            out[2 * s] = (byte) samples[s];
            out[2 * s + 1] = (byte) (samples[s] >> 8);
        }
        return out;
    }

    /** Decodes one G.711 u-law byte to a linear PCM16 sample. */
    public static short ulawToLinear(byte ulaw) {
        int u = ~ulaw & 0xff;
        int t = ((u & 0x0f) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    /** Encodes one linear PCM16 sample as G.711 u-law. */
    public static byte linearToUlaw(short sample) {
        int pcm = sample;
        int mask;
        if (pcm < 0) {
            pcm = 0x84 - pcm;
            mask = 0x7f;
        } else {
            pcm += 0x84;
            mask = 0xff;
        }
        if (pcm > 0x7fff) {
            pcm = 0x7fff;
        }
        int seg = 0;
        for (int v = pcm >> 8; v > 0 && seg < 8; v >>= 1) {
            seg++;
        }
        if (seg >= 8) {
            return (byte) (0x7f ^ mask);
        }
        int uval = (seg << 4) | ((pcm >> (seg + 3)) & 0x0f);
        return (byte) (uval ^ mask);
    }
}
