package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What both kinds of utterance owe their listener: audio, then exactly one of done or error, and
 * nothing once {@link #stop} has returned (the listener is called under a lock that {@code stop}
 * takes too). Also measures the time from the first text to the first audio.
 */
final class UtteranceOutput {

    private final String name;
    private final ProviderContext context;
    private final TtsListener listener;
    private final ReentrantLock delivery = new ReentrantLock();
    private boolean over; // guarded by delivery: a terminal callback was made, or the utterance was stopped
    private volatile boolean stopped;
    private volatile long firstTextAt = -1;
    private volatile boolean heardAudio;

    UtteranceOutput(String name, ProviderContext context, TtsListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.context = requireNonNull(context, "context is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /** The pipeline sent {@code text}: starts the time-to-first-byte clock at the first one. */
    void textSent(String text) {
        if (firstTextAt < 0) {
            firstTextAt = context.nanoTime();
        }
        context.metrics().record(new Metric.TtsCharacters(name, text.length()));
    }

    void audio(byte[] pcm) {
        if (pcm.length == 0) {
            return;
        }
        if (!heardAudio && !stopped) {
            heardAudio = true;
            context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - firstTextAt));
        }
        deliver(false, () -> listener.onAudio(pcm));
    }

    void done() {
        deliver(true, listener::onDone);
    }

    void fail(ServiceException error) {
        deliver(true, () -> listener.onError(error));
    }

    /** The utterance was cancelled: once this returns, the listener hears nothing more. */
    void stop() {
        stopped = true;
        delivery.lock();
        try {
            over = true;
        } finally {
            delivery.unlock();
        }
    }

    boolean stopped() {
        return stopped;
    }

    private void deliver(boolean terminal, Runnable callback) {
        delivery.lock();
        try {
            if (over || stopped) {
                return;
            }
            over = terminal;
            callback.run();
        } finally {
            delivery.unlock();
        }
    }
}
