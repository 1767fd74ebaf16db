package ai.piopiy.spi.frame;

/**
 * What flows through a call's pipeline. Frames are immutable values; an audio payload is never
 * modified after the frame is made (whoever makes the frame hands over its array).
 *
 * <p>Three families, which decide how the engine queues a frame:
 * <ul>
 *   <li>{@link SystemFrame}: handled at once, overtaking any queued frame, and never dropped by an
 *       interruption (start, cancel, interruption, speaking events, caller audio, errors, metrics);</li>
 *   <li>{@link DataFrame}: handled in order; an interruption drops the ones still queued (bot audio,
 *       transcripts, LLM and TTS text);</li>
 *   <li>{@link ControlFrame}: handled in order, and never dropped (end of call, a tool result).</li>
 * </ul>
 */
public sealed interface Frame permits SystemFrame, DataFrame, ControlFrame {

    /** A short name for logs: the frame type without the {@code Frame} suffix. */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.endsWith("Frame") ? simple.substring(0, simple.length() - 5) : simple;
    }
}
