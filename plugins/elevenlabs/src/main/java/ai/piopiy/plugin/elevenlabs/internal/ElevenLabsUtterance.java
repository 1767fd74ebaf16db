package ai.piopiy.plugin.elevenlabs.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol.ServerFrame;
import ai.piopiy.plugin.support.WebSocketFailures;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One bot answer on its own stream-input socket: the first message with the voice settings, a
 * message per piece of text, {@code {"text":""}} at the end, and the server's {@code isFinal}.
 *
 * <p>Every listener call happens while holding this object's monitor and after checking
 * {@code terminated}, so callbacks never overlap, exactly one terminal callback is made, and once
 * {@link #cancel()} returns nothing more is delivered.
 */
final class ElevenLabsUtterance extends WebSocketListener implements TtsUtterance {

    /** Error codes after which the call cannot go on with this provider. */
    private static final Set<String> FATAL_ERRORS = Set.of("invalid_api_key", "authentication_required", "quota_exceeded");

    private final ElevenLabsSession session;
    private final ElevenLabsResources resources;
    private final OutputFormat format;
    private final TtsListener listener;
    private final Resampler resampler;
    private final WordAligner aligner = new WordAligner();
    private WebSocket socket; // guarded by this
    private boolean textSent; // guarded by this
    private boolean finished; // guarded by this
    private boolean terminated; // guarded by this
    private boolean audioSeen; // guarded by this
    private long firstTextNanos; // guarded by this
    private int characters; // guarded by this
    /** Audio received so far, in ElevenLabs' samples: where the next chunk's alignment starts. */
    private long samplesReceived; // guarded by this

    ElevenLabsUtterance(ElevenLabsSession session, TtsListener listener, Resampler resampler) {
        this.session = session;
        this.resources = session.resources();
        this.format = session.outputFormat();
        this.listener = listener;
        this.resampler = resampler;
    }

    synchronized void connect(Request handshake) {
        socket = resources.client().open(handshake, this);
        // queued by OkHttp until the upgrade completes
        socket.send(resources.protocol().beginning());
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
        boolean first = !textSent;
        if (first) {
            textSent = true;
            firstTextNanos = resources.clock().getAsLong();
        }
        characters += text.length();
        // ElevenLabs wants every piece to end in a space; the runtime sends sentences
        String piece = Character.isWhitespace(text.charAt(text.length() - 1)) ? text : text + " ";
        // a false return means the socket is closing: its close or failure callback fails this utterance
        socket.send(resources.protocol().text(piece, first));
    }

    @Override
    public synchronized void finish() {
        if (terminated || finished) {
            return;
        }
        finished = true;
        if (!textSent) {
            // nothing to speak: an empty end message is not needed, and the done comes from a provider thread
            socket.close(1000, null);
            resources.client().callbacks().execute(this::completeEmpty);
            return;
        }
        socket.send(resources.protocol().end());
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
        // closing the socket is the only cancel of a single-context stream; what still arrives is dropped
        if (socket != null) { // null only when the session closes while this utterance is being started
            socket.close(1000, "cancelled");
        }
    }

    /** The session closed under the utterance: stop without a callback, like a cancel. */
    synchronized void abandon() {
        cancel();
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        ServerFrame frame;
        try {
            frame = ElevenLabsProtocol.parse(text);
        } catch (IOException e) {
            String problem = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            failAndClose(new ServiceException(ElevenLabsResources.SERVICE,
                    "ElevenLabs sent a malformed message (" + resources.redact(problem) + ")"));
            return;
        }
        synchronized (this) {
            if (terminated) {
                return;
            }
            if (frame.error() != null || (frame.message() != null && frame.audio() == null && !frame.isFinal())) {
                failAndClose(errorOf(frame));
                return;
            }
            long chunkStart = samplesReceived;
            if (frame.audio() != null && frame.audio().length > 0) {
                deliver(frame.audio());
            }
            if (frame.alignment() != null) {
                List<WordTimestamp> words = aligner.add(frame.alignment(), chunkStart * 1000.0 / format.sampleRate());
                if (!words.isEmpty()) {
                    listener.onWordTimestamps(words);
                }
            }
            if (frame.isFinal()) {
                complete();
            }
        }
    }

    private void deliver(byte[] audio) {
        if (!audioSeen) {
            audioSeen = true;
            resources.metrics().record(new Metric.TimeToFirstByte(ElevenLabsResources.SERVICE,
                    resources.clock().getAsLong() - firstTextNanos));
        }
        byte[] pcm = format.toPcm16(audio);
        samplesReceived += pcm.length >> 1;
        byte[] out = resampler == null ? pcm : resampler.process(pcm);
        if (out.length > 0) {
            listener.onAudio(out);
        }
    }

    private void complete() {
        List<WordTimestamp> last = aligner.finish();
        if (!last.isEmpty()) {
            listener.onWordTimestamps(last);
        }
        terminate();
        listener.onDone();
        socket.close(1000, null);
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

    private synchronized void closed(int code, String reason) {
        if (terminated) {
            return;
        }
        if (code == 1000 && finished && textSent) {
            // the SDK too treats a normal close after the end of input as the end, with or without isFinal
            complete();
        } else {
            fail(new ServiceException(ElevenLabsResources.SERVICE, "ElevenLabs closed the stream before the answer was spoken (code "
                    + code + (reason.isEmpty() ? "" : ", " + resources.redact(reason)) + ")"));
        }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        fail(WebSocketFailures.of(ElevenLabsResources.SERVICE, ElevenLabsResources.PROVIDER, t, response, resources.redactor()));
    }

    private synchronized void fail(ServiceException error) {
        if (!terminated) {
            terminate();
            listener.onError(error);
        }
    }

    private synchronized void failAndClose(ServiceException error) {
        if (!terminated) {
            fail(error);
            socket.close(1000, null);
        }
    }

    private ServiceException errorOf(ServerFrame frame) {
        String code = frame.error();
        String message = frame.message() == null ? "unspecified error" : resources.redact(frame.message());
        return new ServiceException(ElevenLabsResources.SERVICE,
                "ElevenLabs error: " + message + (code == null ? "" : " (" + resources.redact(code) + ")"),
                code != null && FATAL_ERRORS.contains(code), null);
    }

    private void terminate() {
        terminated = true;
        session.forget(this);
        if (characters > 0) {
            resources.metrics().record(new Metric.TtsCharacters(ElevenLabsResources.SERVICE, characters));
        }
    }
}
