package ai.piopiy.plugin.ttswebsocket.testing;

import ai.piopiy.plugin.ttswebsocket.LiveSttStream;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.testing.Tones;
import java.util.concurrent.TimeUnit;

/** Helpers of the live speech-to-text smoke tests, which talk to a real provider when its key is in the environment. */
public final class LiveStt {

    private LiveStt() {}

    /**
     * Streams a second of a quiet 440 Hz tone in 20 ms frames at real-time pace (providers refuse faster
     * audio), ends the speech, closes the stream and waits for it to finish.
     *
     * @return how long the close took, in nanoseconds
     */
    public static long streamToneAndClose(LiveSttStream stream, AudioFormat format) throws Exception {
        byte[] tone = Tones.tone(format.sampleRate(), 440, 2000, 1000);
        int frame = format.bytesPer(20);
        for (int offset = 0; offset < tone.length; offset += frame) {
            stream.sendAudio(tone, offset, frame);
            Thread.sleep(20);
        }
        stream.userStoppedSpeaking();
        long closeStarted = System.nanoTime();
        stream.close();
        stream.finished().get(10, TimeUnit.SECONDS);
        return System.nanoTime() - closeStarted;
    }
}
