package ai.piopiy.runtime.pipeline.internal;

import ai.piopiy.CallContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.Cancellable;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.PipelineObserver;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InterruptionFrame;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A processor's place in a running pipeline: its context, and the links to its neighbours. */
public final class Node implements ProcessorContext {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    final FrameProcessor processor;
    final int index;
    Node next;
    Node previous;
    private final RunningPipeline pipeline;

    Node(FrameProcessor processor, int index, RunningPipeline pipeline) {
        this.processor = processor;
        this.index = index;
        this.pipeline = pipeline;
    }

    public FrameProcessor processor() {
        return processor;
    }

    @Override
    public void push(Frame frame, FrameDirection direction) {
        Node target = direction == FrameDirection.DOWNSTREAM ? next : previous;
        if (target == null) {
            return;
        }
        if (frame instanceof InterruptionFrame && direction == FrameDirection.DOWNSTREAM) {
            pipeline.lane.dropQueuedData(index, frame);
        }
        PipelineObserver[] observers = pipeline.observers;
        if (observers.length > 0) {
            long now = System.nanoTime();
            for (PipelineObserver o : observers) {
                o.onFrameHop(processor, target.processor, frame, direction, now);
            }
        }
        target.receive(frame, direction);
    }

    private void receive(Frame frame, FrameDirection direction) {
        try {
            processor.process(frame, direction, this);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            failed(frame, e);
        }
    }

    private void failed(Frame frame, Throwable e) {
        log.warn("[{}] {} failed on {}: {}", pipeline.callId, processor.name(), frame.name(), e.toString(), e);
        if (frame instanceof ErrorFrame) {
            return; // an error while handling an error: do not loop
        }
        ErrorFrame error = new ErrorFrame(processor.name(), processor.name() + " failed on " + frame.name() + ": " + e, e, false);
        if (previous != null) {
            previous.receive(error, FrameDirection.UPSTREAM);
        } else {
            pipeline.onUpstreamExit(error);
        }
    }

    @Override
    public void submit(Frame frame, FrameDirection direction) {
        pipeline.lane.submit(this, frame, direction);
    }

    @Override
    public void post(Runnable task) {
        pipeline.lane.post(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                log.warn("[{}] task of {} failed: {}", pipeline.callId, processor.name(), e.toString(), e);
                ErrorFrame error = new ErrorFrame(processor.name(), processor.name() + " failed: " + e, e, false);
                push(error, FrameDirection.UPSTREAM);
            }
        });
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (pipeline.lane.isClosed()) {
            return Cancellable.NONE;
        }
        ScheduledExecutorService scheduler = pipeline.scheduler;
        ScheduledFuture<?> future = scheduler.schedule(() -> post(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Cancellable scheduleAt(long deadlineNanos, Runnable task) {
        return schedule(deadlineNanos - System.nanoTime(), task);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public CallEventListener events() {
        return pipeline.events;
    }

    @Override
    public CallContext callContext() {
        return pipeline.callContext;
    }

    @Override
    public String callId() {
        return pipeline.callId;
    }

    @Override
    public boolean isFinished() {
        return pipeline.lane.isClosed();
    }

    @Override
    public String toString() {
        return "Node[" + index + ":" + processor.name() + "]";
    }
}
