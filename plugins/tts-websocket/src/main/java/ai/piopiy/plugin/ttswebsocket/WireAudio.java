package ai.piopiy.plugin.ttswebsocket;

import ai.piopiy.spi.audio.Pcm16;

/** Choosing the audio a provider sends for a session, and turning it into the PCM16 the SPI carries. */
public final class WireAudio {

    private WireAudio() {}

    /**
     * The rate to ask a provider for: the session's own when offered, else the next higher one (resampling
     * down loses nothing the session can carry), else the highest.
     *
     * @param offered the provider's rates, ascending
     */
    public static int offeredRate(int[] offered, int sessionRate) {
        for (int rate : offered) {
            if (rate >= sessionRate) {
                return rate;
            }
        }
        return offered[offered.length - 1];
    }

    /** G.711 μ-law expanded into a new PCM16 LE array. */
    public static byte[] ulawToPcm16(byte[] ulaw) {
        byte[] pcm = new byte[ulaw.length * 2];
        for (int i = 0; i < ulaw.length; i++) {
            short s = Pcm16.ulawToLinear(ulaw[i]);
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        return pcm;
    }
}
