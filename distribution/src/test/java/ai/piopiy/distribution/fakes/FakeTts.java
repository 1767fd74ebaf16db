package ai.piopiy.distribution.fakes;

/** A fake TTS provider: its server speaks with {@link #voice()}. */
public interface FakeTts extends AutoCloseable {

    Voice voice();

    @Override
    void close();
}
