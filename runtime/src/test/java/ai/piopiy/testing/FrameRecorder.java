package ai.piopiy.testing;

import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A pass-through processor that records every frame it sees in each direction, for assertions. */
public final class FrameRecorder extends FrameProcessor {

    public final List<Frame> downstream = new CopyOnWriteArrayList<>();
    public final List<Frame> upstream = new CopyOnWriteArrayList<>();

    public FrameRecorder(String name) {
        super(name);
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        (direction == FrameDirection.DOWNSTREAM ? downstream : upstream).add(frame);
        ctx.push(frame, direction);
    }

    public List<String> downstreamNames() {
        return downstream.stream().map(Frame::name).toList();
    }

    /** Waits (polling) until a downstream frame matches. */
    public Frame await(Predicate<Frame> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Frame f : downstream) {
                if (match.test(f)) {
                    return f;
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no matching frame within " + timeout + "; saw " + downstreamNames());
    }
}
