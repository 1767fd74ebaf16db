package ai.piopiy.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.spi.frame.ApplicationFrame;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.testing.FrameRecorder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PipelineTaskTest {

    /** Blocks the lane on a frame of the given type until released (only tests may block a lane). */
    static final class Gate extends FrameProcessor {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final String type;

        Gate(String type) {
            super("gate");
            this.type = type;
        }

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            if (frame instanceof ApplicationFrame a && a.type().equals(type)) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ctx.push(frame, direction);
        }
    }

    static PipelineTask task(String id, CallEventListener events, FrameProcessor... processors) {
        return new PipelineTask(Pipeline.of(processors), PipelineParams.builder(id).events(events).build());
    }

    /**
     * Starts a pipeline (a gate, then {@code sink}), holds its lane busy on a "block" frame, lets
     * {@code queue} hand frames over meanwhile (so they wait in the lane's queue), then frees the lane.
     */
    static PipelineTask whileTheLaneIsBusy(FrameRecorder sink, java.util.function.Consumer<PipelineTask> queue) throws Exception {
        Gate gate = new Gate("block");
        PipelineTask task = task("t", CallEventListener.NONE, gate, sink);
        task.start();
        Thread blocker = Thread.ofVirtual().start(() -> task.queueFrame(data("block")));
        assertThat(gate.entered.await(5, TimeUnit.SECONDS)).isTrue();
        queue.accept(task);
        gate.release.countDown();
        blocker.join();
        return task;
    }

    /** What the sink saw: application frames by type, the others by name. */
    static List<String> types(FrameRecorder sink) {
        return sink.downstream.stream().map(f -> f instanceof ApplicationFrame a ? a.type() : f.name()).toList();
    }

    static ApplicationFrame data(String type) {
        return new ApplicationFrame(type, null);
    }

    @Test
    void startComesFirstAndObserversSeeEveryHop() throws Exception {
        FrameRecorder a = new FrameRecorder("a");
        FrameRecorder b = new FrameRecorder("b");
        List<String> hops = new CopyOnWriteArrayList<>();
        PipelineTask task = new PipelineTask(Pipeline.of(a, b), PipelineParams.builder("t")
                .observers(List.of((from, to, frame, dir, at) -> hops.add(from.name() + ">" + to.name() + ":" + frame.name())))
                .build());
        task.start();
        task.awaitStarted(Duration.ofSeconds(5));
        task.queueFrame(data("x"));
        task.end("done");
        CallOutcome outcome = task.awaitTermination();
        assertThat(outcome.cancelled()).isFalse();
        assertThat(outcome.reason()).isEqualTo("done");
        assertThat(b.downstreamNames()).containsExactly("Start", "Application", "End");
        assertThat(hops).containsExactly("head>a:Start", "a>b:Start", "b>tail:Start",
                "head>a:Application", "a>b:Application", "b>tail:Application",
                "head>a:End", "a>b:End", "b>tail:End");
    }

    @Test
    void systemFramesOvertakeQueuedDataFrames() throws Exception {
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = whileTheLaneIsBusy(sink, t -> {
            t.queueFrame(data("d1"));
            t.queueFrame(data("d2"));
            t.queueFrame(new UserStartedSpeakingFrame(1));
        });
        task.end("done");
        task.awaitTermination();
        assertThat(types(sink))
                .containsExactly("Start", "block", "UserStartedSpeaking", "d1", "d2", "End");
    }

    @Test
    void anInterruptionDropsQueuedDataButNotControlFrames() throws Exception {
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = whileTheLaneIsBusy(sink, t -> {
            t.queueFrame(data("stale-1"));
            t.queueFrame(data("stale-2"));
            t.end("done"); // a control frame: survives the interruption
            t.queueFrame(new InterruptionFrame());
        });
        task.awaitTermination();
        assertThat(sink.downstreamNames()).containsExactly("Start", "Application", "Interruption", "End");
    }

    @Test
    void whatIsSentAfterAnInterruptionSurvivesIt() throws Exception {
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = whileTheLaneIsBusy(sink, t -> {
            t.queueFrame(data("stale"));
            t.queueFrame(new InterruptionFrame());
            t.queueFrame(data("fresh")); // the caller's next words, sent after the interruption
        });
        task.end("done");
        task.awaitTermination();
        assertThat(types(sink))
                .containsExactly("Start", "block", "Interruption", "fresh", "End");
    }

    @Test
    void anExceptionInAProcessorBecomesAnErrorFrameAndTheCallGoesOn() throws Exception {
        List<ErrorFrame> errors = new CopyOnWriteArrayList<>();
        FrameProcessor faulty = new FrameProcessor("faulty") {
            @Override
            public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
                if (frame instanceof ApplicationFrame a && a.type().equals("boom")) {
                    throw new IllegalStateException("kaput");
                }
                ctx.push(frame, direction);
            }
        };
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = task("t", new CallEventListener() {
            @Override
            public void error(ErrorFrame error) {
                errors.add(error);
            }
        }, faulty, sink);
        task.start();
        task.queueFrame(data("boom"));
        task.queueFrame(data("after"));
        task.end("done");
        CallOutcome outcome = task.awaitTermination();
        assertThat(outcome.cancelled()).isFalse();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("faulty");
            assertThat(e.message()).contains("kaput");
            assertThat(e.fatal()).isFalse();
        });
        assertThat(sink.downstream).anyMatch(f -> f instanceof ApplicationFrame a && a.type().equals("after"));
    }

    @Test
    void aFatalErrorEndsOnlyItsOwnCall() throws Exception {
        FrameProcessor failing = new FrameProcessor("failing") {
            @Override
            public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
                if (frame instanceof ApplicationFrame) {
                    ctx.pushUpstream(new ErrorFrame(name(), "credentials rejected", null, true));
                    return;
                }
                ctx.push(frame, direction);
            }
        };
        PipelineTask doomed = task("doomed", CallEventListener.NONE, failing);
        FrameRecorder healthySink = new FrameRecorder("sink");
        PipelineTask healthy = task("healthy", CallEventListener.NONE, new FrameRecorder("x"), healthySink);
        doomed.start();
        healthy.start();
        doomed.queueFrame(data("go"));
        CallOutcome outcome = doomed.termination().get(5, TimeUnit.SECONDS);
        assertThat(outcome.cancelled()).isTrue();
        assertThat(outcome.fatalError().message()).isEqualTo("credentials rejected");
        assertThat(healthy.isFinished()).isFalse();
        healthy.queueFrame(data("still-alive"));
        healthy.end("done");
        assertThat(healthy.awaitTermination().cancelled()).isFalse();
        assertThat(healthySink.downstream).anyMatch(f -> f instanceof ApplicationFrame a && a.type().equals("still-alive"));
    }

    /** Answers each data frame 100 ms later from another thread, as a network service would. */
    static final class SlowEcho extends FrameProcessor {
        private boolean cancelled;
        private EndFrame pendingEnd;
        private int inFlight;

        private final int delayMs;

        SlowEcho() {
            this(100);
        }

        SlowEcho(int delayMs) {
            super("slow-echo");
            this.delayMs = delayMs;
        }

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            switch (frame) {
                case ApplicationFrame a when direction == FrameDirection.DOWNSTREAM -> {
                    inFlight++;
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(delayMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                        ctx.post(() -> {
                            inFlight--;
                            if (!cancelled) {
                                ctx.pushDownstream(data("echo:" + a.type()));
                            }
                            if (inFlight == 0 && pendingEnd != null) {
                                ctx.pushDownstream(pendingEnd);
                            }
                        });
                    });
                }
                case EndFrame e when inFlight > 0 -> pendingEnd = e;
                case CancelFrame c -> {
                    cancelled = true;
                    ctx.push(frame, direction);
                }
                default -> ctx.push(frame, direction);
            }
        }
    }

    @Test
    void endDrainsWorkInFlight() throws Exception {
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = task("t", CallEventListener.NONE, new SlowEcho(), sink);
        task.start();
        task.queueFrame(data("a"));
        task.end("done");
        task.awaitTermination();
        assertThat(types(sink))
                .containsExactly("Start", "echo:a", "End");
    }

    @Test
    void cancelDoesNotWait() throws Exception {
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = task("t", CallEventListener.NONE, new SlowEcho(), sink);
        task.start();
        task.queueFrame(data("a"));
        long t0 = System.nanoTime();
        task.cancel("hung up");
        CallOutcome outcome = task.awaitTermination();
        assertThat(System.nanoTime() - t0).isLessThan(90_000_000L);
        assertThat(outcome.cancelled()).isTrue();
        Thread.sleep(150); // the echo's late answer must go nowhere
        assertThat(sink.downstreamNames()).containsExactly("Start", "Cancel");
    }

    @Test
    void workAfterTheEndIsDropped() throws Exception {
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = task("t", CallEventListener.NONE, sink);
        task.start();
        task.end("done");
        task.awaitTermination();
        task.queueFrame(new InputAudioFrame(new byte[640], 16000));
        task.cancel("again");
        assertThat(sink.downstreamNames()).containsExactly("Start", "End");
    }

    @Test
    void aThousandSequentialCallsLeaveNoThreadsBehind() throws Exception {
        runCalls(20); // warm up: the shared timer threads start once per process
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        runCalls(1000);
        Thread.sleep(100);
        int after = ManagementFactory.getThreadMXBean().getThreadCount();
        assertThat(after).isLessThanOrEqualTo(before + 2);
    }

    private static void runCalls(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            FrameProcessor timed = new FrameProcessor("timed") {
                @Override
                public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
                    if (frame instanceof StartFrame) {
                        ctx.schedule(60_000_000_000L, () -> { }); // a timer the cleanup must not leave running
                    }
                    ctx.push(frame, direction);
                }
            };
            PipelineTask task = task("call-" + i, CallEventListener.NONE, timed, new SlowEcho(1));
            task.start();
            task.queueFrame(data("x"));
            task.end("done");
            task.awaitTermination();
        }
    }

    @Test
    void callsRunConcurrentlyWithoutSharingState() throws Exception {
        List<PipelineTask> tasks = new ArrayList<>();
        List<FrameRecorder> sinks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            FrameRecorder sink = new FrameRecorder("sink");
            sinks.add(sink);
            tasks.add(task("c" + i, CallEventListener.NONE, new SlowEcho(), sink));
        }
        tasks.forEach(PipelineTask::start);
        for (int i = 0; i < tasks.size(); i++) {
            tasks.get(i).queueFrame(data("n" + i));
            tasks.get(i).end("done");
        }
        for (int i = 0; i < tasks.size(); i++) {
            tasks.get(i).awaitTermination();
            String expected = "echo:n" + i;
            assertThat(sinks.get(i).downstream).filteredOn(f -> f instanceof ApplicationFrame)
                    .singleElement().satisfies(f -> assertThat(((ApplicationFrame) f).type()).isEqualTo(expected));
        }
    }
}
