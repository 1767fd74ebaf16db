package ai.piopiy.plugin.deepgram.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.deepgram.DeepgramTtsConfig;
import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketFailures;
import ai.piopiy.plugin.ttswebsocket.WireAudio;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One call's speech on one Deepgram speak WebSocket. The socket has no notion of separate answers: it
 * speaks its text buffer in order, so answers go one after another and binary audio belongs to the
 * current one. After a {@code Clear} (an interrupted answer) everything up to Deepgram's {@code Cleared}
 * belongs to the answer that was cleared and is dropped. A socket that died is replaced when the next
 * answer starts.
 */
public final class DeepgramTtsSession implements TtsSession {

    static final String FLUSH = "{\"type\":\"Flush\"}";
    static final String CLEAR = "{\"type\":\"Clear\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceResources resources;
    private final DeepgramTtsConfig config;
    private final Request handshake;
    private final AudioFormat format;
    private final int wireRate;
    private final boolean ulaw;
    private final String callId;
    private final Object lock = new Object();
    private Connection connection; // guarded by lock
    private DeepgramTtsUtterance current; // guarded by lock
    private boolean closed; // guarded by lock

    public DeepgramTtsSession(ServiceResources resources, DeepgramTtsConfig config, AudioFormat format, String callId) {
        this.resources = requireNonNull(resources, "resources is null");
        this.config = requireNonNull(config, "config is null");
        this.format = requireNonNull(format, "format is null");
        this.callId = requireNonNull(callId, "callId is null");
        this.ulaw = DeepgramTtsConfig.MULAW.equals(config.encoding());
        this.wireRate = config.sampleRate() != 0
                ? config.sampleRate()
                : WireAudio.offeredRate(DeepgramTtsConfig.rates(config.encoding()), format.sampleRate());
        this.handshake = handshake(config, wireRate);
        synchronized (lock) {
            // connect now, so the first answer does not wait for the handshake
            connection = new Connection();
        }
    }

    /** The upgrade request: model, encoding and rate in the query, the key as {@code Token}. */
    static Request handshake(DeepgramTtsConfig config, int rate) {
        HttpUrl.Builder url = BaseUrls.toHttpUrl(config.webSocketUrl()).newBuilder()
                .addQueryParameter("model", config.voice())
                .addQueryParameter("encoding", config.encoding())
                .addQueryParameter("sample_rate", Integer.toString(rate));
        if (config.mipOptOut()) {
            url.addQueryParameter("mip_opt_out", "true");
        }
        return new Request.Builder()
                .url(url.build())
                .header("Authorization", "Token " + config.apiKey().reveal())
                .build();
    }

    @Override
    public TtsUtterance startUtterance(TtsListener listener) {
        requireNonNull(listener, "listener is null");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TTS session of call " + callId + " is closed");
            }
            if (connection.dead) {
                resources.logger().debug("call {}: reconnecting to Deepgram", callId);
                connection = new Connection();
            }
            Resampler resampler = wireRate == format.sampleRate() ? null : new Resampler(wireRate, format.sampleRate());
            current = new DeepgramTtsUtterance(this, connection, listener, resampler);
            return current;
        }
    }

    @Override
    public void close() {
        DeepgramTtsUtterance speaking;
        Connection last;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            speaking = current;
            last = connection;
        }
        if (speaking != null) {
            speaking.cancel();
        }
        last.dead = true;
        last.socket.close(1000, "session closed");
    }

    // ---- for the utterances

    ServiceResources resources() {
        return resources;
    }

    boolean flushEachSentence() {
        return config.flushEachSentence();
    }

    String speak(String text) {
        return JSON.createObjectNode().put("type", "Speak").put("text", text).toString();
    }

    /** Stops what {@code on} is speaking; its audio up to {@code Cleared} is dropped. */
    void clear(Connection on) {
        synchronized (lock) {
            if (!on.dead && on.send(CLEAR)) {
                on.clearsPending++;
            }
        }
    }

    void forget(DeepgramTtsUtterance utterance) {
        synchronized (lock) {
            if (current == utterance) {
                current = null;
            }
        }
    }

    /** One WebSocket and what it delivers; a replaced connection's late events reach no utterance. */
    final class Connection extends WebSocketListener {

        final WebSocket socket;
        final FlushWindow flushes = new FlushWindow();
        volatile boolean dead; // written under lock, or once the session is closed
        private int clearsPending; // guarded by lock

        private Connection() {
            socket = resources.client().open(handshake, this);
        }

        boolean send(String text) {
            return socket.send(text);
        }

        /** The utterance this connection's answers belong to, or null while a Clear is pending. */
        private DeepgramTtsUtterance speaking() {
            synchronized (lock) {
                return clearsPending == 0 && current != null && current.connection() == this ? current : null;
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            DeepgramTtsUtterance utterance = speaking();
            if (utterance != null) {
                byte[] audio = bytes.toByteArray();
                utterance.onAudio(ulaw ? WireAudio.ulawToPcm16(audio) : audio);
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                failSpeaking(WebSocketFailures.malformed(resources, e));
                return;
            }
            String type = message.path("type").asText("");
            switch (type) {
                case "Flushed" -> {
                    DeepgramTtsUtterance utterance = speaking();
                    if (utterance != null) {
                        utterance.onFlushed();
                    }
                }
                case "Cleared" -> {
                    synchronized (lock) {
                        if (clearsPending > 0) {
                            clearsPending--;
                        }
                    }
                }
                case "Metadata" -> resources.logger().debug("call {}: Deepgram speak request {} (model {} {})", callId,
                        message.path("request_id").asText(), message.path("model_name").asText(), message.path("model_version").asText());
                case "Warning" -> onWarning(message);
                // not in the current docs, but an error of the old shape must not pass unseen
                case "Error" -> failSpeaking(new ServiceException(resources.service(), "Deepgram error: "
                        + resources.redact(message.path("description").asText(message.path("message").asText(text)))));
                default -> resources.logger().debug("call {}: ignoring a Deepgram '{}' message", callId, type);
            }
        }

        private void onWarning(JsonNode message) {
            String code = message.path("code").asText("");
            String description = resources.redact(message.path("description").asText(""));
            resources.logger().warn("call {}: Deepgram warning {}: {}", callId, code, description);
            // a refused flush is never answered with Flushed: the answer must not wait for it
            if ((code + " " + description).toLowerCase(Locale.ROOT).contains("flush")) {
                DeepgramTtsUtterance utterance = speaking();
                if (utterance != null) {
                    utterance.flushRefused(new ServiceException(resources.service(),
                            "Deepgram refused to flush (" + code + ": " + description + ")"));
                }
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            // marked dead before answering the close, so no answer starts on it after the peer saw the answer
            lost(new ServiceException(resources.service(), "Deepgram closed the connection (code " + code
                    + (reason.isEmpty() ? "" : ", " + resources.redact(reason)) + ")"));
            webSocket.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            lost(new ServiceException(resources.service(), "Deepgram closed the connection (code " + code + ")"));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            ServiceException error = WebSocketFailures.of(resources, t, response);
            lost(error.fatal()
                    ? new ServiceException(resources.service(), error.getMessage() + "; check " + config.apiKey().source(), true, null)
                    : error);
        }

        private void lost(ServiceException error) {
            synchronized (lock) {
                dead = true;
            }
            failSpeaking(error);
        }

        private void failSpeaking(ServiceException error) {
            DeepgramTtsUtterance utterance;
            synchronized (lock) {
                utterance = current != null && current.connection() == this ? current : null;
            }
            if (utterance != null) {
                utterance.connectionFailed(error);
            } else {
                // between answers nobody hears of it; the next answer reconnects (and reports a refusal)
                resources.logger().debug("call {}: {}", callId, error.getMessage());
            }
        }
    }
}
