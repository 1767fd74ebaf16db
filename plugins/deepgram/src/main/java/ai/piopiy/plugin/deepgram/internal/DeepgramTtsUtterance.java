package ai.piopiy.plugin.deepgram.internal;

import ai.piopiy.plugin.ttswebsocket.StreamingTtsUtterance;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.tts.TtsListener;

/**
 * One bot answer on the speak socket: each sentence is a {@code Speak}, followed by a {@code Flush} while
 * the flush budget allows; the end is a {@code Flush} of whatever is still unflushed, and the answer is
 * done once every flush it sent has come back as {@code Flushed}. A cancel is a {@code Clear}.
 */
final class DeepgramTtsUtterance extends StreamingTtsUtterance {

    private final DeepgramTtsSession session;
    private final DeepgramTtsSession.Connection connection;
    private int flushesAwaited; // guarded by this
    private boolean unflushed; // guarded by this: text was sent since the last Flush

    DeepgramTtsUtterance(DeepgramTtsSession session, DeepgramTtsSession.Connection connection, TtsListener listener,
            Resampler resampler) {
        super(session.resources(), listener, resampler);
        this.session = session;
        this.connection = connection;
    }

    DeepgramTtsSession.Connection connection() {
        return connection;
    }

    // a false return of send means the socket is closing: its close or failure callback fails this utterance

    @Override
    protected void sendPiece(String piece, boolean first) {
        connection.send(session.speak(piece));
        unflushed = true;
        if (session.flushEachSentence() && connection.flushes.trySentence(session.resources().clock().getAsLong())) {
            flush();
        }
    }

    @Override
    protected void sendEnd() {
        if (unflushed) {
            connection.flushes.end(session.resources().clock().getAsLong());
            flush();
        } else if (flushesAwaited == 0) {
            // every sentence was flushed and spoken already
            session.resources().client().callbacks().execute(this::complete);
        }
    }

    private void flush() {
        connection.send(DeepgramTtsSession.FLUSH);
        flushesAwaited++;
        unflushed = false;
    }

    @Override
    protected void sendCancel(boolean textSent) {
        if (textSent) {
            session.clear(connection);
        }
    }

    @Override
    protected void onEnded() {
        session.forget(this);
    }

    /** PCM16 at Deepgram's rate, on the socket's reader thread. */
    synchronized void onAudio(byte[] pcm) {
        deliverAudio(pcm);
    }

    /** Deepgram spoke everything up to one of this answer's flushes. */
    synchronized void onFlushed() {
        if (hasEnded()) {
            return;
        }
        if (flushesAwaited > 0) {
            flushesAwaited--;
        }
        if (isFinished() && flushesAwaited == 0 && !unflushed) {
            complete();
        }
    }

    /** Deepgram will not answer one of this answer's flushes. */
    synchronized void flushRefused(ServiceException error) {
        if (hasEnded()) {
            return;
        }
        if (flushesAwaited > 0) {
            flushesAwaited--;
        }
        if (isFinished()) {
            fail(error); // the end of the answer would never be spoken
        } else {
            unflushed = true; // the end's flush covers this sentence too
        }
    }

    void connectionFailed(ServiceException error) {
        fail(error);
    }
}
