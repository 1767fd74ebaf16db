package ai.piopiy.bench;

import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.Pipeline;
import ai.piopiy.runtime.pipeline.PipelineParams;
import ai.piopiy.runtime.pipeline.PipelineTask;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * W1 "processor chain": source → P1 … P10 → sink, twelve stages, run by the engine's own driver
 * ({@link PipelineTask}) with lean options (no observers, metrics off, no guards). Frames are the
 * engine's input-audio frames (a system frame, its only delivery path for caller audio), a new frame
 * object each with a shared 640-byte payload, pushed through the same call a transport uses
 * ({@link PipelineTask#queueFrame}).
 *
 * <p>Usage: {@code W1Chain burst|window1 [N] [warmup]}. Before the measured frames the same pipeline
 * carries {@code warmup} unmeasured frames (default 200,000) so the JIT has compiled the path a
 * long-running runtime would run; pass 0 for a cold run. Prints one JSON line.
 */
public final class W1Chain {

    /** A pass-through stage: the base class's default processing. */
    static final class PassThrough extends FrameProcessor {
        PassThrough(String name) {
            super(name);
        }
    }

    /** Records each benchmark frame's receive time and consumes it; forwards lifecycle frames. */
    static final class Sink extends FrameProcessor {
        final long[] received;
        volatile int count;

        Sink(int n) {
            super("sink");
            received = new long[n];
        }

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            if (frame instanceof InputAudioFrame) {
                received[count] = System.nanoTime();
                count = count + 1; // single writer: the lane
                return;
            }
            ctx.push(frame, direction);
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "burst";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : (mode.equals("burst") ? 100_000 : 20_000);
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        byte[] payload = new byte[640];

        List<FrameProcessor> stages = new ArrayList<>();
        stages.add(new PassThrough("source"));
        for (int i = 1; i <= 10; i++) {
            stages.add(new PassThrough("P" + i));
        }
        Sink sink = new Sink(n + warmup);
        stages.add(sink);
        PipelineTask task = new PipelineTask(new Pipeline(stages),
                PipelineParams.builder("w1").metricsEnabled(false).events(CallEventListener.NONE).build());
        task.start();
        task.awaitStarted(Duration.ofSeconds(10));

        for (int i = 0; i < warmup; i++) {
            task.queueFrame(new InputAudioFrame(payload, 16_000));
        }
        while (sink.count < warmup) {
            Thread.onSpinWait();
        }
        long[] pushed = new long[n];
        long cpu0 = Measure.processCpuNanos();
        if (mode.equals("burst")) {
            for (int i = 0; i < n; i++) {
                pushed[i] = System.nanoTime();
                task.queueFrame(new InputAudioFrame(payload, 16_000));
            }
            while (sink.count < warmup + n) {
                Thread.onSpinWait();
            }
        } else {
            for (int i = 0; i < n; i++) {
                pushed[i] = System.nanoTime();
                task.queueFrame(new InputAudioFrame(payload, 16_000));
                while (sink.count <= warmup + i) {
                    Thread.onSpinWait();
                }
            }
        }
        long cpu1 = Measure.processCpuNanos();
        task.end("done");
        task.awaitTermination();

        long lastReceive = 0;
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            latency[i] = sink.received[warmup + i] - pushed[i];
            lastReceive = Math.max(lastReceive, sink.received[warmup + i]);
        }
        long[] sorted = Measure.sorted(latency, n);
        double seconds = (lastReceive - pushed[0]) / 1e9;
        System.out.println(new Measure.JsonLine()
                .put("workload", "W1").put("mode", mode).put("frame_type", "input_audio").put("n", n).put("warmup", warmup)
                .put("frames_per_s", n / seconds)
                .put("latency.mean_us", Measure.mean(latency) / 1e3)
                .put("latency.p50_us", Measure.percentile(sorted, 50) / 1e3)
                .put("latency.p99_us", Measure.percentile(sorted, 99) / 1e3)
                .put("latency.max_us", sorted[n - 1] / 1e3)
                .put("cpu_s", (cpu1 - cpu0) / 1e9)
                .put("cpu_us_per_frame", (cpu1 - cpu0) / 1e3 / n)
                .put("peak_rss_mib", Measure.peakRssMib())
                .put("java", Runtime.version().toString()));
    }
}
