package ai.piopiy.testing;

/** Test audio: sine tones and silence as PCM16. */
public final class Tones {

    private Tones() {}

    public static byte[] tone(int sampleRate, double frequency, int amplitude, int millis) {
        int samples = sampleRate / 1000 * millis;
        byte[] pcm = new byte[samples * 2];
        for (int n = 0; n < samples; n++) {
            short v = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * n / sampleRate));
            pcm[2 * n] = (byte) v;
            pcm[2 * n + 1] = (byte) (v >> 8);
        }
        return pcm;
    }

    public static byte[] silence(int sampleRate, int millis) {
        return new byte[sampleRate / 1000 * millis * 2];
    }
}
