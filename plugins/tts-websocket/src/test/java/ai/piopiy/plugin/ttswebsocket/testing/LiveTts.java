package ai.piopiy.plugin.ttswebsocket.testing;

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
