package ai.piopiy.plugin.cartesia.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.internal.CartesiaProtocol.ServerFrame;
import ai.piopiy.plugin.cartesia.CartesiaTtsConfig;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketFailures;
import ai.piopiy.plugin.ttswebsocket.WireAudio;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One call's speech on one Cartesia WebSocket. Each utterance is a Cartesia context on that socket;
 * frames are routed to it by {@code context_id}, and frames for a context that is gone (cancelled,
 * done, failed) are dropped. A socket that died is replaced when the next utterance starts.
 */
public final class CartesiaSession implements TtsSession {

    /** The {@code output_format.sample_rate} values Cartesia accepts, ascending. */
    private static final int[] CARTESIA_RATES = {8_000, 16_000, 22_050, 24_000, 44_100, 48_000};

    private final ServiceResources resources;
    private final Request handshake;
    private final AudioFormat format;
    private final int cartesiaRate;
    private final CartesiaProtocol protocol;
    private final String callId;
    private final String contextPrefix;
    private final Map<String, CartesiaUtterance> utterances = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private Connection connection; // guarded by lock
    private long contextCount; // guarded by lock
    private boolean closed; // guarded by lock

    public CartesiaSession(ServiceResources resources, CartesiaTtsConfig config, Request handshake, AudioFormat format, String callId) {
        this.resources = requireNonNull(resources, "resources is null");
        this.handshake = requireNonNull(handshake, "handshake is null");
        this.format = requireNonNull(format, "format is null");
        this.callId = requireNonNull(callId, "callId is null");
        this.cartesiaRate = cartesiaRate(format.sampleRate());
        this.protocol = new CartesiaProtocol(config, cartesiaRate);
        // context ids are unique on the socket; the random prefix tells sessions apart in Cartesia's logs
        this.contextPrefix = UUID.randomUUID().toString().substring(0, 8);
        synchronized (lock) {
            // connect now, so the first answer does not wait for the handshake
            connection = new Connection();
        }
    }

    /** The rate to ask Cartesia for: the session's own if offered, else the next higher one (or the highest). */
    static int cartesiaRate(int sessionRate) {
        return WireAudio.offeredRate(CARTESIA_RATES, sessionRate);
    }

    @Override
    public TtsUtterance startUtterance(TtsListener listener) {
        requireNonNull(listener, "listener is null");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TTS session of call " + callId + " is closed");
            }
            if (connection.dead) {
                resources.logger().debug("call {}: reconnecting to Cartesia", callId);
                connection = new Connection();
            }
            Resampler resampler = cartesiaRate == format.sampleRate() ? null : new Resampler(cartesiaRate, format.sampleRate());
            String contextId = nextContextId();
            CartesiaUtterance utterance = new CartesiaUtterance(this, connection, contextId, listener, resampler);
            utterances.put(contextId, utterance);
            return utterance;
        }
    }

    private String nextContextId() {
        return contextPrefix + "-" + (++contextCount);
    }

    /** A fresh id for an utterance whose context Cartesia ended before the utterance was finished. */
    String renewContext(CartesiaUtterance utterance, String oldId) {
        synchronized (lock) {
            String id = nextContextId();
            utterances.remove(oldId, utterance);
            utterances.put(id, utterance);
            return id;
        }
    }

    void forget(String contextId, CartesiaUtterance utterance) {
        utterances.remove(contextId, utterance);
    }

    CartesiaProtocol protocol() {
        return protocol;
    }

    ServiceResources resources() {
        return resources;
    }

    int cartesiaRate() {
        return cartesiaRate;
    }

    @Override
    public void close() {
        List<CartesiaUtterance> open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            connection.dead = true;
            connection.socket.close(1000, "session closed");
            open = new ArrayList<>(utterances.values());
            utterances.clear();
        }
        for (CartesiaUtterance u : open) {
            u.cancel();
        }
    }

    /** One WebSocket and what it delivers; a replaced connection's late events only touch its own utterances. */
    final class Connection extends WebSocketListener {

        final WebSocket socket;
        volatile boolean dead; // written under lock

        private Connection() {
            socket = resources.client().open(handshake, this);
        }

        boolean send(String text) {
            return socket.send(text);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            ServerFrame frame;
            try {
                frame = CartesiaProtocol.parse(text);
            } catch (IOException e) {
                failUtterances(WebSocketFailures.malformed(resources, e), false);
                return;
            }
            CartesiaUtterance utterance = frame.contextId() == null ? null : utterances.get(frame.contextId());
            if (utterance != null) {
                utterance.onFrame(frame);
            } else if ("error".equals(frame.type()) && frame.contextId() == null) {
                failUtterances(CartesiaUtterance.errorOf(resources, frame), false);
            } else {
                resources.logger().debug("call {}: dropping a Cartesia '{}' frame of finished context {}", callId, frame.type(), frame.contextId());
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            // marked dead before answering the close, so no utterance starts on it after the peer saw the answer
            failUtterances(new ServiceException(resources.service(), resources.provider() + " closed the connection (code " + code
                    + (reason.isEmpty() ? "" : ", " + resources.redact(reason)) + ")"), true);
            webSocket.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            failUtterances(new ServiceException(resources.service(), resources.provider() + " closed the connection (code " + code + ")"), true);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            failUtterances(WebSocketFailures.of(resources, t, response), true);
        }

        /** Fails the utterances of this connection; {@code connectionLost} marks it for replacement. */
        private void failUtterances(ServiceException error, boolean connectionLost) {
            List<CartesiaUtterance> affected = new ArrayList<>();
            synchronized (lock) {
                if (connectionLost) {
                    dead = true;
                }
                for (CartesiaUtterance u : utterances.values()) {
                    if (u.connection() == this) {
                        affected.add(u);
                    }
                }
            }
            if (affected.isEmpty()) {
                // between answers nobody hears of it; the next answer reconnects (and reports a refusal)
                resources.logger().debug("call {}: {}", callId, error.getMessage());
            }
            for (CartesiaUtterance u : affected) {
                u.connectionFailed(error);
            }
        }
    }
}
