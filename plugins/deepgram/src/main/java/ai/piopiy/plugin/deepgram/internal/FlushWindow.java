package ai.piopiy.plugin.deepgram.internal;

import java.util.ArrayDeque;

/**
 * Deepgram takes at most 20 {@code Flush} messages a minute on a socket and answers more with a warning
 * instead of audio. Flushes after a sentence (which only make speech start sooner) stop a few short of the
 * limit, so the flush that ends an answer (without which it is never spoken) still fits.
 */
final class FlushWindow {

    static final int LIMIT = 20;
    static final long WINDOW_NANOS = 60_000_000_000L;
    /** Flushes kept for the ends of answers. */
    static final int RESERVED_FOR_ENDS = 5;

    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    /** Records a sentence flush and returns true when one fits below the reserve. */
    synchronized boolean trySentence(long now) {
        prune(now);
        if (sent.size() >= LIMIT - RESERVED_FOR_ENDS) {
            return false;
        }
        sent.addLast(now);
        return true;
    }

    /** Records the flush that ends an answer, which is sent whatever the count. */
    synchronized void end(long now) {
        prune(now);
        sent.addLast(now);
    }

    private void prune(long now) {
        while (!sent.isEmpty() && now - sent.peekFirst() >= WINDOW_NANOS) {
            sent.removeFirst();
        }
    }
}
