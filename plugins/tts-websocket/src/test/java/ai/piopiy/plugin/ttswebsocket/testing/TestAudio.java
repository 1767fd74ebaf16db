package ai.piopiy.plugin.ttswebsocket.testing;

/** Audio for byte-exact assertions. */
public final class TestAudio {

    private TestAudio() {}

    /** A deterministic byte pattern of {@code length} bytes; different seeds tell chunks apart. */
    public static byte[] pattern(int seed, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (seed * 31 + i * 7);
        }
        return out;
    }
}
