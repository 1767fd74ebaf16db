package ai.piopiy.spi.stt;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.audio.AudioFormat;

/** What a stream will receive: the audio format and the call it belongs to (for logs). */
public record SttStreamSpec(AudioFormat format, String callId) {
    public SttStreamSpec {
        requireNonNull(format, "format is null");
        requireNonNull(callId, "callId is null");
    }
}
