package ai.piopiy.plugin.ttswebsocket;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The state machine of an utterance streamed to a TTS provider: text in, audio out, exactly one of
 * done or error at the end, nothing after cancel. A provider fills the hooks that put text, the end
 * and a cancel on its wire, and reports what its server sends through the {@code deliver*},
 * {@link #complete()} and {@link #fail} methods.
 *
 * <p>Every listener call happens while holding this object's monitor and after checking that the
 * utterance has not ended, so callbacks never overlap and once {@link #cancel()} returns nothing more
 * is delivered. Subclasses take the same monitor ({@code synchronized} methods) for their own state.
 * Hooks run under the monitor and must not block.
 */
public abstract class StreamingTtsUtterance implements TtsUtterance {

    private final String service;
    private final TtsListener listener;
    private final Resampler resampler;
    private final MetricsSink metrics;
    private final LongSupplier clock;
    private final Executor callbacks;
    private boolean textSent; // guarded by this
    private boolean finished; // guarded by this
    private boolean ended; // guarded by this
    private boolean audioSeen; // guarded by this
    private long firstTextNanos; // guarded by this
    private int characters; // guarded by this
    private long samplesReceived; // guarded by this

    /**
     * @param resampler from the provider's rate to the session's, or null when they are the same
     */
    protected StreamingTtsUtterance(ServiceResources resources, TtsListener listener, Resampler resampler) {
        this.service = resources.service();
        this.listener = requireNonNull(listener, "listener is null");
        this.resampler = resampler;
        this.metrics = resources.metrics();
        this.clock = resources.clock();
        // runs the one callback that cannot come from the provider's reader: the done of an utterance without text
        this.callbacks = resources.client().callbacks();
    }

    /** Puts a piece of text on the wire; it already ends in whitespace. */
    protected abstract void sendPiece(String piece, boolean first);

    /** Tells the provider there is no more text (only called after some text was sent). */
    protected abstract void sendEnd();

    /** Tells the provider to stop; the utterance has already ended. */
    protected abstract void sendCancel(boolean textSent);

    /** The utterance had no text: release what it holds before its done. */
    protected void finishEmpty() {}

    /** The utterance ended (done, error or cancel): forget it. */
    protected void onEnded() {}

    @Override
    public final synchronized void sendText(String text) {
        requireNonNull(text, "text is null");
        if (ended) {
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
            firstTextNanos = clock.getAsLong();
        }
        characters += text.length();
        // providers join pieces verbatim and the runtime sends sentences, which need a space between them
        sendPiece(Character.isWhitespace(text.charAt(text.length() - 1)) ? text : text + " ", first);
    }

    @Override
    public final synchronized void finish() {
        if (ended || finished) {
            return;
        }
        finished = true;
        if (textSent) {
            sendEnd();
        } else {
            finishEmpty();
            callbacks.execute(this::complete);
        }
    }

    @Override
    public final synchronized void cancel() {
        if (ended) {
            return;
        }
        end();
        sendCancel(textSent);
    }

    protected final synchronized boolean hasEnded() {
        return ended;
    }

    protected final synchronized boolean isFinished() {
        return finished;
    }

    /** Audio received so far, in samples at the provider's rate (before resampling). */
    protected final synchronized long samplesReceived() {
        return samplesReceived;
    }

    /** PCM16 at the provider's rate: resampled to the session's and handed over; the first one is the TTFB. */
    protected final synchronized void deliverAudio(byte[] pcm) {
        if (ended || pcm.length == 0) {
            return;
        }
        if (!audioSeen) {
            audioSeen = true;
            metrics.record(new Metric.TimeToFirstByte(service, clock.getAsLong() - firstTextNanos));
        }
        samplesReceived += pcm.length >> 1;
        byte[] out = resampler == null ? pcm : resampler.process(pcm);
        if (out.length > 0) {
            listener.onAudio(out);
        }
    }

    protected final synchronized void deliverWords(List<WordTimestamp> words) {
        if (!ended && !words.isEmpty()) {
            listener.onWordTimestamps(words);
        }
    }

    /** All audio was delivered. */
    protected final synchronized void complete() {
        if (!ended) {
            end();
            listener.onDone();
        }
    }

    protected final synchronized void fail(ServiceException error) {
        if (!ended) {
            end();
            listener.onError(error);
        }
    }

    private void end() {
        ended = true;
        onEnded();
        if (characters > 0) {
            metrics.record(new Metric.TtsCharacters(service, characters));
        }
    }
}
