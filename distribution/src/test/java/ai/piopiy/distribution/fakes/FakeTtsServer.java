package ai.piopiy.distribution.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A streaming TTS's WebSocket whose voice is a {@link Tone} of its own pitch. */
public abstract class FakeTtsServer extends FakeSocketServer {

    private final double hz;
    private final List<String> spoken = new CopyOnWriteArrayList<>();

    protected FakeTtsServer(double hz) {
        this.hz = hz;
    }

    /** The pitch of this server's voice. */
    public double hz() {
        return hz;
    }

    /** The audio of {@code text}, which is recorded as spoken. */
    protected byte[] speak(String text, int sampleRate) {
        spoken.add(text.strip());
        return Tone.forWords(text, hz, sampleRate);
    }

    /** The pieces of text it was asked to speak, in order. */
    public List<String> spoken() {
        return List.copyOf(spoken);
    }
}
