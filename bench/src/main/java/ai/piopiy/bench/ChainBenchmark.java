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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: the cost of one caller-audio frame crossing the W1 chain (12 stages, 11 hops) through
 * {@link PipelineTask#queueFrame}. Run with {@code java -cp ... org.openjdk.jmh.Main ChainBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChainBenchmark {

    private final byte[] payload = new byte[640];
    private PipelineTask task;
    private Blackhole sinkHole;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws Exception {
        sinkHole = blackhole;
        List<FrameProcessor> stages = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            stages.add(new W1Chain.PassThrough("P" + i));
        }
        stages.add(new FrameProcessor("sink") {
            @Override
            public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
                if (frame instanceof InputAudioFrame) {
                    sinkHole.consume(frame);
                    return;
                }
                ctx.push(frame, direction);
            }
        });
        task = new PipelineTask(new Pipeline(stages), PipelineParams.builder("jmh").metricsEnabled(false).events(CallEventListener.NONE).build());
        task.start();
        task.awaitStarted(Duration.ofSeconds(5));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        task.end("done");
        task.awaitTermination();
    }

    @Benchmark
    public void frameThroughTwelveStages() {
        task.queueFrame(new InputAudioFrame(payload, 16_000));
    }
}
