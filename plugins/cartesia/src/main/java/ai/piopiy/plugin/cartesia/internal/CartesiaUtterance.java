package ai.piopiy.plugin.cartesia.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.internal.CartesiaProtocol.ServerFrame;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * One bot answer as one Cartesia context: each piece of text is an input with {@code continue:true},
 * {@link #finish()} sends the empty final input, and Cartesia's {@code done} ends it.
 *
 * <p>Every listener call happens while holding this object's monitor and after checking
 * {@code terminated}, so callbacks never overlap, exactly one terminal callback is made, and once
 * {@link #cancel()} returns nothing more is delivered.
 */
final class CartesiaUtterance implements TtsUtterance {

    private final CartesiaSession session;
    private final CartesiaSession.Connection connection;
    private final TtsListener listener;
    private final Resampler resampler;
    private final CartesiaResources resources;
    private String contextId; // guarded by this
    private boolean textSent; // guarded by this
    private boolean finished; // guarded by this
    private boolean terminated; // guarded by this
    private boolean audioSeen; // guarded by this
    private long firstTextNanos; // guarded by this
    private int characters; // guarded by this
    /** Audio delivered so far, in Cartesia's samples: where a renewed context's timestamps start. */
    private long samplesDelivered; // guarded by this
    private double timestampOffset; // guarded by this

    CartesiaUtterance(CartesiaSession session, CartesiaSession.Connection connection, String contextId,
            TtsListener listener, Resampler resampler) {
        this.session = session;
        this.connection = connection;
        this.contextId = contextId;
        this.listener = listener;
        this.resampler = resampler;
        this.resources = session.resources();
    }

    synchronized String contextId() {
        return contextId;
    }

    CartesiaSession.Connection connection() {
        return connection;
    }

    @Override
    public synchronized void sendText(String text) {
        requireNonNull(text, "text is null");
        if (terminated) {
            return;
        }
        if (finished) {
            throw new IllegalStateException("sendText after finish");
        }
        if (text.isEmpty()) {
            return;
        }
        if (!textSent) {
            textSent = true;
            firstTextNanos = resources.clock().getAsLong();
        }
        characters += text.length();
        // Cartesia joins a context's inputs verbatim; the runtime sends sentences, which need a space between them
        String transcript = Character.isWhitespace(text.charAt(text.length() - 1)) ? text : text + " ";
        // a false return means the socket is closing: its close or failure callback fails this utterance
        connection.send(session.protocol().generation(contextId, transcript, true));
    }

    @Override
    public synchronized void finish() {
        if (terminated || finished) {
            return;
        }
        finished = true;
        if (!textSent) {
            // nothing to speak: report done from a provider thread, unless cancelled first
            resources.client().callbacks().execute(this::completeEmpty);
            return;
        }
        connection.send(session.protocol().generation(contextId, "", false));
    }

    private synchronized void completeEmpty() {
        if (!terminated) {
            terminate();
            listener.onDone();
        }
    }

    @Override
    public synchronized void cancel() {
        if (terminated) {
            return;
        }
        terminate();
        if (textSent) {
            // Cartesia stops only inputs that have not started generating; the rest is dropped on arrival
            connection.send(session.protocol().cancel(contextId));
        }
    }

    /** The session closed under the utterance: stop without a callback, like a cancel. */
    synchronized void abandon() {
        if (!terminated) {
            terminate();
        }
    }

    synchronized void fail(ServiceException error) {
        if (!terminated) {
            terminate();
            listener.onError(error);
        }
    }

    /** A frame routed to this utterance's context, on the socket's reader thread. */
    synchronized void onFrame(ServerFrame frame) {
        if (terminated || frame.type() == null) {
            return;
        }
        switch (frame.type()) {
            case "chunk" -> {
                if (frame.audio() != null && frame.audio().length > 0) {
                    deliver(frame.audio());
                }
            }
            case "timestamps" -> {
                if (!frame.words().isEmpty()) {
                    listener.onWordTimestamps(shifted(frame.words()));
                }
            }
            case "done" -> {
                if (finished) {
                    terminate();
                    listener.onDone();
                } else {
                    // the context expired while the LLM was slow (1 s after its last audio): go on in a new one
                    String expired = contextId;
                    contextId = session.renewContext(this, expired);
                    timestampOffset = (double) samplesDelivered / session.cartesiaRate();
                }
            }
            case "error" -> {
                terminate();
                listener.onError(errorOf(resources, frame));
            }
            default -> {
                // flush_done and phoneme_timestamps carry nothing the runtime uses
            }
        }
    }

    private void deliver(byte[] pcm) {
        if (!audioSeen) {
            audioSeen = true;
            resources.metrics().record(new Metric.TimeToFirstByte(CartesiaResources.SERVICE,
                    resources.clock().getAsLong() - firstTextNanos));
        }
        samplesDelivered += pcm.length >> 1;
        byte[] out = resampler == null ? pcm : resampler.process(pcm);
        if (out.length > 0) {
            listener.onAudio(out);
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

    private void terminate() {
        terminated = true;
        session.forget(contextId, this);
        if (characters > 0) {
            resources.metrics().record(new Metric.TtsCharacters(CartesiaResources.SERVICE, characters));
        }
    }

    static ServiceException errorOf(CartesiaResources resources, ServerFrame frame) {
        int status = frame.statusCode();
        boolean fatal = status == 401 || status == 402 || status == 403;
        String text = frame.error() == null ? "unspecified error (status " + status + ")" : resources.redact(frame.error());
        return new ServiceException(CartesiaResources.SERVICE, "Cartesia error: " + text, fatal, null);
    }
}
