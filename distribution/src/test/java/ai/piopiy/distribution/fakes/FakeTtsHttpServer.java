package ai.piopiy.distribution.fakes;

/** A TTS's HTTP API, speaking with a {@link Voice} of its own. */
public abstract class FakeTtsHttpServer extends FakeHttpServer implements FakeTts {

    protected final Voice voice;

    protected FakeTtsHttpServer(double hz) {
        this.voice = new Voice(hz);
    }

    @Override
    public Voice voice() {
        return voice;
    }
}
