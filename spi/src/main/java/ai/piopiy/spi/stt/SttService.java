package ai.piopiy.spi.stt;

import ai.piopiy.spi.Service;

/**
 * Streaming speech-to-text. The service is shared by all calls; each call opens its own
 * {@link SttStream} and receives transcripts through its {@link SttListener}.
 */
public interface SttService extends Service {

    /**
     * Opens a recognition stream for one call. Must not block for long: connect asynchronously and
     * buffer (or drop with an error) audio sent before the connection is up.
     */
    SttStream openStream(SttStreamSpec spec, SttListener listener);
}
