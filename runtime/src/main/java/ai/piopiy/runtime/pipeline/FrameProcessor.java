package ai.piopiy.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.frame.Frame;

/**
 * One stage of a call's pipeline. The engine calls {@link #process} on the call's lane: one frame at
 * a time, never concurrently for the same call, so a processor keeps its state in plain fields.
 *
 * <p>A processor never holds its neighbours: it hands frames on through its {@link ProcessorContext}
 * ({@link ProcessorContext#push}). The default passes every frame through unchanged; override it and
 * call {@code super.process} (or push yourself) for the frames you do not consume.
 *
 * <p>Never block in {@link #process}: a processor that waits for the network starts the request,
 * returns, and hands the answer back to the lane with {@link ProcessorContext#post} or
 * {@link ProcessorContext#submit}. That is what lets one lane serve a call with no thread hop for
 * frames that need none, and a thousand calls share two cores.
 */
public abstract class FrameProcessor {

    private final String name;

    protected FrameProcessor(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    public final String name() {
        return name;
    }

    /** Handles one frame. The default pushes it on in the direction it travels. */
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        ctx.push(frame, direction);
    }

    /**
     * Releases what the processor holds (streams, sessions, timers) once the call is over, after the
     * end or cancel frame has passed. Runs on the lane; must not throw.
     */
    public void cleanup(ProcessorContext ctx) {}

    @Override
    public String toString() {
        return name;
    }
}
