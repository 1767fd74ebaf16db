package ai.piopiy.spi.transport;

import ai.piopiy.spi.audio.AudioFormat;

/**
 * The two sides of one call's media. The input side delivers the caller's audio and presence to a
 * {@link TransportListener}; the output side takes the bot's audio one chunk at a time. The runtime
 * paces output in real time (one 20 ms chunk per 20 ms), so a transport sends what it is given
 * without buffering much of its own; that is what lets an interruption silence the bot within a frame.
 */
public interface CallTransport extends AutoCloseable {

    /** The format of the caller's audio as this transport delivers it. */
    AudioFormat inputFormat();

    /** The format the transport wants the bot's audio in. */
    AudioFormat outputFormat();

    /** Starts delivering input. Called once, from the call's thread. */
    void start(TransportListener listener);

    /** Sends one chunk of bot audio (PCM16 at {@link #outputFormat()}). Must not block for long. */
    void writeAudio(byte[] pcm, int offset, int length);

    /** Drops whatever output the transport itself still buffers (the caller interrupted). */
    default void clearOutput() {}

    /** Leaves the call and releases the media connection. Idempotent. */
    @Override
    void close();
}
