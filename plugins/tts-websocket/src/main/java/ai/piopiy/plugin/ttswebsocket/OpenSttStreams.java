package ai.piopiy.plugin.ttswebsocket;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live streams a speech-to-text service has open, so that closing the service drops them. */
public final class OpenSttStreams {

    private final String provider;
    private final Set<LiveSttStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param provider the provider's name in messages ({@code Deepgram}) */
    public OpenSttStreams(String provider) {
        this.provider = requireNonNull(provider, "provider is null");
    }

    /**
     * Keeps {@code stream} until it finishes and starts it.
     *
     * @throws IllegalStateException once {@link #cancelAll()} was called
     */
    public <S extends LiveSttStream> S start(S stream) {
        if (closed) {
            throw new IllegalStateException("the " + provider + " service is closed");
        }
        open.add(stream);
        stream.finished().whenComplete((ignored, error) -> open.remove(stream));
        stream.start();
        return stream;
    }

    /** Drops every open stream at once; no stream starts afterwards. */
    public void cancelAll() {
        closed = true;
        for (LiveSttStream stream : open) {
            stream.cancel();
        }
    }
}
