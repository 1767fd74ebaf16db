package ai.piopiy.bench;

import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.Pipeline;
import ai.piopiy.runtime.pipeline.PipelineParams;
import ai.piopiy.runtime.pipeline.PipelineTask;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.runtime.processors.LlmProcessor;
import ai.piopiy.runtime.processors.SttProcessor;
import ai.piopiy.runtime.processors.TtsProcessor;
import ai.piopiy.runtime.processors.UserTurnProcessor;
import ai.piopiy.runtime.tools.ToolRegistry;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.StartFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * W3 "startup": wall time from process spawn (the launcher's CLOCK_REALTIME in BENCH_T0_NS) to a
 * pipeline whose sink has seen the start frame. Topologies: {@code agent} (one W2 call pipeline) and
 * {@code chain} (the W1 pipeline); {@code bare} is an empty main, the JVM's own start. Prints one JSON
 * line with the marks WORKLOADS.md asks for.
 */
public final class W3Startup {

    public static void main(String[] args) throws Exception {
        long runtimeReady = nowNanos();
        String topology = args.length > 0 ? args[0] : "agent";
        long t0 = Long.parseLong(System.getenv().getOrDefault("BENCH_T0_NS", String.valueOf(runtimeReady)));
        if (topology.equals("bare")) {
            System.out.println(new Measure.JsonLine().put("workload", "W3").put("topology", "bare")
                    .put("ready_ms", (runtimeReady - t0) / 1e6));
            return;
        }
        // framework loaded: the engine's classes
        Class.forName(PipelineTask.class.getName());
        Class.forName(TtsProcessor.class.getName());
        long loaded = nowNanos();
        CountDownLatch started = new CountDownLatch(1);
        FrameProcessor sink = new FrameProcessor("sink") {
            @Override
            public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
                if (frame instanceof StartFrame) {
                    started.countDown();
                }
                ctx.push(frame, direction);
            }
        };
        List<FrameProcessor> stages = new ArrayList<>();
        if (topology.equals("chain")) {
            for (int i = 0; i < 11; i++) {
                stages.add(new W1Chain.PassThrough("P" + i));
            }
        } else {
            ConversationContext context = new ConversationContext();
            stages.add(new W1Chain.PassThrough("source"));
            stages.add(new W2Calls.EnergyVad());
            stages.add(new SttProcessor(new W2Calls.CountingStt()));
            stages.add(new UserTurnProcessor(context, false, null, Duration.ofMillis(500)));
            stages.add(new LlmProcessor(new W2Calls.TimedLlm(ai.piopiy.runtime.pipeline.EngineResources.shared().scheduler()), context, new ToolRegistry()));
            stages.add(new TtsProcessor(new W2Calls.FiveFrameTts()));
        }
        stages.add(sink);
        PipelineTask task = new PipelineTask(new Pipeline(stages),
                PipelineParams.builder("w3").metricsEnabled(false).events(CallEventListener.NONE).build());
        long built = nowNanos();
        task.start();
        started.await(10, TimeUnit.SECONDS);
        long ready = nowNanos();
        System.out.println(new Measure.JsonLine().put("workload", "W3").put("topology", topology)
                .put("runtime_ready_ms", (runtimeReady - t0) / 1e6)
                .put("framework_loaded_ms", (loaded - t0) / 1e6)
                .put("pipeline_built_ms", (built - t0) / 1e6)
                .put("ready_ms", (ready - t0) / 1e6));
        task.cancel("done");
        System.exit(0);
    }

    /** CLOCK_REALTIME in nanoseconds, as the launcher's {@code date +%s%N}. */
    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
