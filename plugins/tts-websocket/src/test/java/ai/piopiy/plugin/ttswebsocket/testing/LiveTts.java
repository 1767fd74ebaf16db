package ai.piopiy.plugin.ttswebsocket.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Event;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Failed;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Words;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;

/** Helpers of the live smoke tests, which talk to a real provider when its key is in the environment. */
public final class LiveTts {

    private LiveTts() {}

    /** The key in {@code envVar}; skips the test, saying why, when it is not set. */
    public static String requireKey(String envVar) {
        String key = System.getenv(envVar);
        boolean present = key != null && !key.isBlank();
        if (!present) {
            System.out.println("live smoke test skipped: " + envVar + " is not set");
        }
        assumeTrue(present, envVar + " is not set");
        return key;
    }

    /** What one spoken answer produced. */
    public record Spoken(long audioBytes, int timedWords) {}

    /** Speaks {@code sentences} as one answer and waits for its end; a provider error is thrown. */
    public static Spoken speak(TtsService service, AudioFormat format, String... sentences) throws InterruptedException {
        try (TtsSession session = service.openSession(format, "live-smoke")) {
            RecordingTtsListener listener = new RecordingTtsListener();
            TtsUtterance utterance = session.startUtterance(listener);
            for (String sentence : sentences) {
                utterance.sendText(sentence);
            }
            utterance.finish();
            long bytes = 0;
            int words = 0;
            for (Event e = listener.next(); !(e instanceof Done); e = listener.next()) {
                switch (e) {
                    case Audio a -> bytes += a.pcm().length;
                    case Words w -> words += w.words().size();
                    case Failed f -> throw f.error();
                    case Done d -> throw new AssertionError("unreachable");
                }
            }
            return new Spoken(bytes, words);
        }
    }
}
