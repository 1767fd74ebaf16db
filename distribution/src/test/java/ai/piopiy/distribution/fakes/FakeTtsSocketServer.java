package ai.piopiy.distribution.fakes;

/** A streaming TTS's WebSocket, speaking with a {@link Voice} of its own. */
public abstract class FakeTtsSocketServer extends FakeSocketServer implements FakeTts {

    protected final Voice voice;

    protected FakeTtsSocketServer(double hz) {
        this.voice = new Voice(hz);
    }

    @Override
    public Voice voice() {
        return voice;
    }
}
