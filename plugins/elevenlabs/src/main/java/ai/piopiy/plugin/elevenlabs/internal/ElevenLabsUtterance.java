package ai.piopiy.plugin.elevenlabs.internal;

import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol.ServerFrame;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.StreamingTtsUtterance;
import ai.piopiy.plugin.ttswebsocket.WebSocketFailures;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.tts.TtsListener;
import java.io.IOException;
import java.util.Set;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One bot answer on its own stream-input socket: the first message with the voice settings, a
 * message per piece of text, {@code {"text":""}} at the end, and the server's {@code isFinal}.
 */
final class ElevenLabsUtterance extends StreamingTtsUtterance {

    /** Error codes after which the call cannot go on with this provider. */
    private static final Set<String> FATAL_ERRORS = Set.of("invalid_api_key", "authentication_required", "quota_exceeded");

    private final ElevenLabsSession session;
    private final ServiceResources resources;
    private final ElevenLabsProtocol protocol;
    private final OutputFormat format;
    private final WordAligner aligner = new WordAligner();
    private WebSocket socket; // guarded by this

    ElevenLabsUtterance(ElevenLabsSession session, TtsListener listener, Resampler resampler) {
        super(session.resources(), listener, resampler);
        this.session = session;
        this.resources = session.resources();
        this.protocol = session.protocol();
        this.format = session.outputFormat();
    }

    synchronized void connect(Request handshake) {
        socket = resources.client().open(handshake, new SocketListener());
        // queued by OkHttp until the upgrade completes
        socket.send(protocol.beginning());
    }

    // a false return of send means the socket is closing: its close or failure callback fails this utterance

    @Override
    protected void sendPiece(String piece, boolean first) {
        socket.send(protocol.text(piece, first));
    }

    @Override
    protected void sendEnd() {
        socket.send(protocol.end());
    }

    @Override
    protected void sendCancel(boolean textSent) {
        // closing the socket is the only cancel of a single-context stream; what still arrives is dropped
        if (socket != null) { // null only when the session closes while this utterance is being started
            socket.close(1000, "cancelled");
        }
    }

    @Override
    protected void finishEmpty() {
        socket.close(1000, null);
    }

    @Override
    protected void onEnded() {
        session.forget(this);
    }

    private synchronized void onFrame(ServerFrame frame) {
        if (hasEnded()) {
            return;
        }
        if (frame.error() != null || (frame.message() != null && frame.audio() == null && !frame.isFinal())) {
            failAndClose(errorOf(frame));
            return;
        }
        long chunkStart = samplesReceived();
        if (frame.audio() != null) {
            deliverAudio(format.toPcm16(frame.audio()));
        }
        if (frame.alignment() != null) {
            deliverWords(aligner.add(frame.alignment(), chunkStart * 1000.0 / format.sampleRate()));
        }
        if (frame.isFinal()) {
            completeAndClose();
        }
    }

    private synchronized void completeAndClose() {
        deliverWords(aligner.finish());
        complete();
        socket.close(1000, null);
    }

    private synchronized void failAndClose(ServiceException error) {
        if (!hasEnded()) {
            fail(error);
            socket.close(1000, null);
        }
    }

    private synchronized void closed(int code, String reason) {
        if (hasEnded()) {
            return;
        }
        if (code == 1000 && isFinished()) {
            // the SDK too treats a normal close after the end of input as the end, with or without isFinal;
            // without text it is the close of our own finish
            completeAndClose();
        } else {
            fail(new ServiceException(resources.service(), resources.provider() + " closed the stream before the answer was spoken (code "
                    + code + (reason.isEmpty() ? "" : ", " + resources.redact(reason)) + ")"));
        }
    }

    private ServiceException errorOf(ServerFrame frame) {
        String code = frame.error();
        String message = frame.message() == null ? "unspecified error" : resources.redact(frame.message());
        return new ServiceException(resources.service(),
                resources.provider() + " error: " + message + (code == null ? "" : " (" + resources.redact(code) + ")"),
                code != null && FATAL_ERRORS.contains(code), null);
    }

    /** This utterance's socket, on its reader thread. */
    private final class SocketListener extends WebSocketListener {

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            ServerFrame frame;
            try {
                frame = ElevenLabsProtocol.parse(text);
            } catch (IOException e) {
                failAndClose(WebSocketFailures.malformed(resources, e));
                return;
            }
            onFrame(frame);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            closed(code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            closed(code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            fail(WebSocketFailures.of(resources, t, response));
        }
    }
}
