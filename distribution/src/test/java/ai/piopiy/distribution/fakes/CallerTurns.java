package ai.piopiy.distribution.fakes;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.audio.Pcm16;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The "recogniser" of the fake STT servers: half a second of loud audio followed by 300 ms of quiet
 * is a caller turn, answered with the next scripted transcript (the simulated caller speaks loud
 * enough; its silence is digital zero).
 */
public final class CallerTurns {

    private static final double LOUD_RMS = 300;
    private static final long MIN_SPEECH_MICROS = 500_000;
    private static final long END_QUIET_MICROS = 300_000;
    /** What a turn beyond the script is transcribed as, so that the test's assertions name it. */
    public static final String UNSCRIPTED = "an unscripted turn";

    private final List<String> script;
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private long loudMicros;
    private long quietMicros;

    public CallerTurns(List<String> script) {
        this.script = new ArrayList<>(requireNonNull(script, "script is null"));
    }

    /** Takes the next piece of audio; a transcript when it ends a turn. */
    public synchronized Optional<String> hear(byte[] pcm, int sampleRate) {
        long micros = pcm.length / 2 * 1_000_000L / sampleRate;
        if (Pcm16.rms(pcm) > LOUD_RMS) {
            loudMicros += micros;
            quietMicros = 0;
            return Optional.empty();
        }
        if (loudMicros < MIN_SPEECH_MICROS) {
            return Optional.empty();
        }
        quietMicros += micros;
        if (quietMicros < END_QUIET_MICROS) {
            return Optional.empty();
        }
        loudMicros = 0;
        quietMicros = 0;
        String transcript = heard.size() < script.size() ? script.get(heard.size()) : UNSCRIPTED;
        heard.add(transcript);
        return Optional.of(transcript);
    }

    /** The transcripts of the turns heard so far. */
    public List<String> heard() {
        return List.copyOf(heard);
    }
}
