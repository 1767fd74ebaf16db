package ai.piopiy.plugin.elevenlabs.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Request;

/**
 * One call's speech. Each utterance has its own stream-input WebSocket, opened when the utterance
 * starts; a cancelled utterance closes its socket, so its late audio cannot reach the next one.
 */
public final class ElevenLabsSession implements TtsSession {

    private final ServiceResources resources;
    private final ElevenLabsProtocol protocol;
    private final AudioFormat format;
    private final OutputFormat outputFormat;
    private final Request handshake;
    private final String callId;
    private final Set<ElevenLabsUtterance> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ElevenLabsSession(ServiceResources resources, ElevenLabsProtocol protocol, Secret apiKey, AudioFormat format, String callId) {
        this.resources = requireNonNull(resources, "resources is null");
        this.protocol = requireNonNull(protocol, "protocol is null");
        this.format = requireNonNull(format, "format is null");
        this.callId = requireNonNull(callId, "callId is null");
        this.outputFormat = OutputFormat.forSessionRate(format.sampleRate());
        this.handshake = new Request.Builder()
                .url(protocol.url(outputFormat))
                .header("xi-api-key", apiKey.reveal())
                .build();
    }

    @Override
    public TtsUtterance startUtterance(TtsListener listener) {
        requireNonNull(listener, "listener is null");
        if (closed) {
            throw new IllegalStateException("TTS session of call " + callId + " is closed");
        }
        Resampler resampler = outputFormat.sampleRate() == format.sampleRate()
                ? null
                : new Resampler(outputFormat.sampleRate(), format.sampleRate());
        ElevenLabsUtterance utterance = new ElevenLabsUtterance(this, listener, resampler);
        open.add(utterance);
        utterance.connect(handshake);
        return utterance;
    }

    void forget(ElevenLabsUtterance utterance) {
        open.remove(utterance);
    }

    ServiceResources resources() {
        return resources;
    }

    ElevenLabsProtocol protocol() {
        return protocol;
    }

    OutputFormat outputFormat() {
        return outputFormat;
    }

    @Override
    public void close() {
        closed = true;
        for (ElevenLabsUtterance utterance : List.copyOf(open)) {
            utterance.cancel();
        }
    }
}
