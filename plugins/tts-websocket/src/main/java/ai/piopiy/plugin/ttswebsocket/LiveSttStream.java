package ai.piopiy.plugin.ttswebsocket;

import ai.piopiy.spi.stt.SttStream;
import java.util.concurrent.CompletableFuture;

/**
 * A live speech-to-text stream as its service keeps it: started once, cut at service shutdown, and
 * finished when it let go of its connections. {@link ReconnectingSttStream} is one; a provider whose
 * protocol does not fit that state machine implements this directly.
 */
public interface LiveSttStream extends SttStream {

    /** Opens the first connection; audio sent before it is up is kept and sent once it is. */
    void start();

    /** Completes once the stream let go of its connections, after a close, a cancel or a fatal error. */
    CompletableFuture<Void> finished();

    /** Drops the connections at once, without waiting for results (service shutdown). */
    void cancel();
}
