package ai.piopiy.plugin.elevenlabs.internal;

import ai.piopiy.plugin.ttswebsocket.WireAudio;

/**
 * The {@code output_format} asked of ElevenLabs for a session rate: raw PCM where offered, μ-law at
 * 8 kHz (telephony is G.711 anyway, so μ-law costs nothing and halves the bytes on the wire).
 *
 * @param wireName the query parameter's value
 * @param sampleRate the rate of the audio ElevenLabs sends
 * @param ulaw whether that audio is G.711 μ-law (else PCM16 LE)
 */
public record OutputFormat(String wireName, int sampleRate, boolean ulaw) {

    /** The raw PCM rates of the stream-input API above 8 kHz, ascending. */
    private static final int[] PCM_RATES = {16_000, 22_050, 24_000, 44_100};

    public static final OutputFormat ULAW_8000 = new OutputFormat("ulaw_8000", 8_000, true);

    /** The format for a session: its own rate when offered, else the next higher (the highest above all). */
    public static OutputFormat forSessionRate(int sessionRate) {
        if (sessionRate <= 8_000) {
            return ULAW_8000;
        }
        int rate = WireAudio.offeredRate(PCM_RATES, sessionRate);
        return new OutputFormat("pcm_" + rate, rate, false);
    }

    /** The audio as PCM16 LE; PCM arrives as it is, μ-law is expanded into a new array. */
    public byte[] toPcm16(byte[] audio) {
        return ulaw ? WireAudio.ulawToPcm16(audio) : audio;
    }
}
