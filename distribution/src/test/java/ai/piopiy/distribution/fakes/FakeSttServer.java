package ai.piopiy.distribution.fakes;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okio.ByteString;

/** A streaming STT's WebSocket: audio in, a final transcript out for each caller turn heard in it. */
public abstract class FakeSttServer extends FakeSocketServer {

    private final CallerTurns turns;
    private final AtomicInteger audioFrames = new AtomicInteger();
    private final AtomicLong audioMicros = new AtomicLong();

    /** {@code transcripts}: what the caller's turns are heard as, in order. */
    protected FakeSttServer(List<String> transcripts) {
        this.turns = new CallerTurns(transcripts);
    }

    @Override
    protected final void binary(Connection connection, ByteString bytes) {
        int rate = connection.intParameter("sample_rate");
        audioFrames.incrementAndGet();
        audioMicros.addAndGet(bytes.size() / 2 * 1_000_000L / rate);
        turns.hear(bytes.toByteArray(), rate).ifPresent(transcript -> connection.send(finalResult(transcript)));
    }

    /** The provider's message carrying {@code transcript} as the final result of a turn. */
    protected abstract String finalResult(String transcript);

    /** The transcripts sent, one per caller turn heard. */
    public List<String> heard() {
        return turns.heard();
    }

    /** How many binary frames of audio arrived. */
    public int audioFrames() {
        return audioFrames.get();
    }

    /** How much audio arrived, in milliseconds. */
    public long audioMillis() {
        return audioMicros.get() / 1000;
    }
}
