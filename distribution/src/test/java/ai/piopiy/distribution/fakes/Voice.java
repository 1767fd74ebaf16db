package ai.piopiy.distribution.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake TTS's voice: a {@link Tone} of its own pitch, so a call's recording tells which provider the
 * caller heard; it remembers what it was asked to say.
 */
public final class Voice {

    private final double hz;
    private final List<String> spoken = new CopyOnWriteArrayList<>();

    public Voice(double hz) {
        this.hz = hz;
    }

    public double hz() {
        return hz;
    }

    /** The audio of {@code text} at {@code sampleRate}, which is remembered as spoken. */
    public byte[] speak(String text, int sampleRate) {
        spoken.add(text.strip());
        return Tone.forWords(text, hz, sampleRate);
    }

    /** The pieces of text it was asked to speak, in order. */
    public List<String> spoken() {
        return List.copyOf(spoken);
    }
}
