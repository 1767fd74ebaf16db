package ai.piopiy.plugin.cartesia.internal;

import ai.piopiy.plugin.cartesia.internal.CartesiaProtocol.ServerFrame;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.StreamingTtsUtterance;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.WordTimestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * One bot answer as one Cartesia context: each piece of text is an input with {@code continue:true},
 * the end is the empty input with {@code continue:false}, and Cartesia's {@code done} ends it.
 */
final class CartesiaUtterance extends StreamingTtsUtterance {

    private final CartesiaSession session;
    private final CartesiaSession.Connection connection;
    private final ServiceResources resources;
    private String contextId; // guarded by this
    /** Where the current context's timestamps start in the answer: not 0 after a renewed context. */
    private double timestampOffset; // guarded by this

    CartesiaUtterance(CartesiaSession session, CartesiaSession.Connection connection, String contextId,
            TtsListener listener, Resampler resampler) {
        super(session.resources(), listener, resampler);
        this.session = session;
        this.connection = connection;
        this.contextId = contextId;
        this.resources = session.resources();
    }

    CartesiaSession.Connection connection() {
        return connection;
    }

    // a false return of send means the socket is closing: its close or failure callback fails this utterance

    @Override
    protected void sendPiece(String piece, boolean first) {
        connection.send(session.protocol().generation(contextId, piece, true));
    }

    @Override
    protected void sendEnd() {
        connection.send(session.protocol().generation(contextId, "", false));
    }

    @Override
    protected void sendCancel(boolean textSent) {
        if (textSent) {
            // Cartesia stops only inputs that have not started generating; the rest is dropped on arrival
            connection.send(session.protocol().cancel(contextId));
        }
    }

    @Override
    protected void onEnded() {
        session.forget(contextId, this);
    }

    /** The socket under this utterance failed or closed. */
    void connectionFailed(ServiceException error) {
        fail(error);
    }

    /** A frame routed to this utterance's context, on the socket's reader thread. */
    synchronized void onFrame(ServerFrame frame) {
        if (hasEnded() || frame.type() == null) {
            return;
        }
        switch (frame.type()) {
            case "chunk" -> {
                if (frame.audio() != null) {
                    deliverAudio(frame.audio());
                }
            }
            case "timestamps" -> deliverWords(shifted(frame.words()));
            case "done" -> {
                if (isFinished()) {
                    complete();
                } else {
                    // the context expired while the LLM was slow (1 s after its last audio): go on in a new one
                    String expired = contextId;
                    contextId = session.renewContext(this, expired);
                    timestampOffset = (double) samplesReceived() / session.cartesiaRate();
                    resources.logger().debug("Cartesia ended context {} before the answer was finished; going on in context {}",
                            expired, contextId);
                }
            }
            case "error" -> fail(errorOf(resources, frame));
            default -> {
                // flush_done and phoneme_timestamps carry nothing the runtime uses
            }
        }
    }

    private List<WordTimestamp> shifted(List<WordTimestamp> words) {
        if (timestampOffset == 0) {
            return words;
        }
        List<WordTimestamp> out = new ArrayList<>(words.size());
        for (WordTimestamp w : words) {
            out.add(new WordTimestamp(w.word(), w.startSeconds() + timestampOffset, w.endSeconds() + timestampOffset));
        }
        return out;
    }

    static ServiceException errorOf(ServiceResources resources, ServerFrame frame) {
        int status = frame.statusCode();
        boolean fatal = status == 401 || status == 402 || status == 403;
        String text = frame.error() == null ? "unspecified error (status " + status + ")" : resources.redact(frame.error());
        return new ServiceException(resources.service(), resources.provider() + " error: " + text, fatal, null);
    }
}
