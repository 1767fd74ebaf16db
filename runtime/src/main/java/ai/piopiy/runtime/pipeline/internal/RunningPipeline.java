package ai.piopiy.runtime.pipeline.internal;

import ai.piopiy.CallContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.Pipeline;
import ai.piopiy.runtime.pipeline.PipelineObserver;
import ai.piopiy.runtime.pipeline.PipelineParams;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** The nodes of one started pipeline, between two sentinels that hand frames leaving it to the driver. */
public final class RunningPipeline {

    final CallLane lane;
    final String callId;
    final CallEventListener events;
    final CallContext callContext;
    final PipelineObserver[] observers;
    final ScheduledExecutorService scheduler;
    private final Node head;
    private final List<Node> nodes;
    private final Consumer<Frame> upstreamExit;

    public RunningPipeline(Pipeline pipeline, PipelineParams params, Consumer<Frame> upstreamExit, Consumer<Frame> downstreamExit) {
        this.callId = params.callId();
        this.events = params.events();
        this.callContext = params.callContext();
        this.observers = params.observers().toArray(PipelineObserver[]::new);
        this.scheduler = params.resources().scheduler();
        this.lane = new CallLane(callContext);
        this.upstreamExit = upstreamExit;
        List<FrameProcessor> processors = pipeline.processors();
        this.head = new Node(new Sentinel("head", upstreamExit, FrameDirection.UPSTREAM), -1, this);
        List<Node> all = new ArrayList<>(processors.size());
        Node prev = head;
        for (int i = 0; i < processors.size(); i++) {
            Node n = new Node(processors.get(i), i, this);
            n.previous = prev;
            prev.next = n;
            all.add(n);
            prev = n;
        }
        Node tail = new Node(new Sentinel("tail", downstreamExit, FrameDirection.DOWNSTREAM), processors.size(), this);
        tail.previous = prev;
        prev.next = tail;
        this.nodes = List.copyOf(all);
    }

    /** From any thread: sends {@code frame} into the first processor. */
    public void submitAtHead(Frame frame) {
        lane.submit(head, frame, FrameDirection.DOWNSTREAM);
    }

    public void post(Runnable task) {
        lane.post(task);
    }

    public ProcessorContext headContext() {
        return head;
    }

    /** Runs every processor's cleanup, then stops accepting work. Call on the lane. */
    public void finish() {
        for (Node n : nodes) {
            try {
                n.processor.cleanup(n);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(RunningPipeline.class)
                        .warn("[{}] cleanup of {} failed: {}", callId, n.processor.name(), e.toString(), e);
            }
        }
        lane.close();
    }

    public boolean isOnLane() {
        return lane.isOnLane();
    }

    public boolean isClosed() {
        return lane.isClosed();
    }

    void onUpstreamExit(Frame frame) {
        upstreamExit.accept(frame);
    }

    /** The ends of the pipeline: they hand what leaves it to the driver. */
    private static final class Sentinel extends FrameProcessor {
        private final Consumer<Frame> exit;
        private final FrameDirection exitDirection;

        Sentinel(String name, Consumer<Frame> exit, FrameDirection exitDirection) {
            super(name);
            this.exit = exit;
            this.exitDirection = exitDirection;
        }

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            if (direction == exitDirection) {
                exit.accept(frame);
            } else {
                ctx.push(frame, direction);
            }
        }
    }
}
