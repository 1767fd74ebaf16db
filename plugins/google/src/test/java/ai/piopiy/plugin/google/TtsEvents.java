package ai.piopiy.plugin.google;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.testing.CallbackRecorder;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;

/** A TTS listener that records audio (as byte arrays), errors and {@link #DONE}. */
final class TtsEvents implements TtsListener {

    static final String DONE = "done";

    final CallbackRecorder recorder = new CallbackRecorder();

    @Override
    public void onAudio(byte[] pcm) {
        recorder.record(pcm);
    }

    @Override
    public void onDone() {
        recorder.record(DONE);
    }

    @Override
    public void onError(ServiceException error) {
        recorder.record(error);
    }

    /** Every event up to the terminal one (done or an error). */
    List<Object> untilEnd() throws InterruptedException {
        return recorder.until(e -> e == DONE || e instanceof ServiceException, Duration.ofSeconds(5));
    }

    static byte[] audioOf(List<Object> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.stream().filter(byte[].class::isInstance).map(byte[].class::cast).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
