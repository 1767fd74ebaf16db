package ai.piopiy.plugin.silero;

import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.vad.VadSession;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Silero VAD inference cost at 16 kHz on real speech (the committed espeak-ng recording):
 * one call alone, and many calls sharing one loaded model, their windows interleaved the way a
 * server's calls arrive. Run with the {@code jmh} profile (see docs/providers/silero.md).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SileroVadBenchmark {

    /** The model, loaded once and shared, as the runtime shares it. */
    @State(Scope.Benchmark)
    public static class Model {

        SileroVadService service;
        List<short[]> windows;

        @Setup(Level.Trial)
        public void load() throws IOException {
            service = new SileroVadService(SileroVadConfig.DEFAULTS);
            try (InputStream in = SileroVadBenchmark.class.getResourceAsStream("hello-16k.wav")) {
                SpeechFixture.Wav wav = SpeechFixture.readWav(in.readAllBytes());
                short[] samples = new short[wav.pcm().length / 2];
                Pcm16.toShorts(wav.pcm(), 0, samples, samples.length);
                windows = new SpeechFixture(wav.rate(), samples, List.of()).windows(512);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            service.close();
        }
    }

    /** One call's session, fed the recording in a loop. */
    @State(Scope.Thread)
    public static class OneCall {

        VadSession session;
        int next;

        @Setup(Level.Trial)
        public void open(Model model) {
            session = model.service.openSession(16_000);
        }

        @TearDown(Level.Trial)
        public void close() {
            session.close();
        }
    }

    /** This thread's share of {@code calls} concurrent calls, each at its own place in the recording. */
    @State(Scope.Thread)
    public static class ManyCalls {

        @Param("100")
        int calls;

        VadSession[] sessions;
        int[] positions;
        int next;

        @Setup(Level.Trial)
        public void open(Model model, BenchmarkParams benchmark, ThreadParams thread) {
            int threads = benchmark.getThreads();
            int mine = calls / threads + (thread.getThreadIndex() < calls % threads ? 1 : 0);
            sessions = new VadSession[mine];
            positions = new int[mine];
            for (int i = 0; i < mine; i++) {
                sessions[i] = model.service.openSession(16_000);
                positions[i] = (i * 7) % model.windows.size();
            }
        }

        /** The next window of the next call. */
        float nextWindow(Model model) {
            int i = next;
            next = (i + 1) % sessions.length;
            int position = positions[i];
            positions[i] = (position + 1) % model.windows.size();
            return sessions[i].speechProbability(model.windows.get(position));
        }

        @TearDown(Level.Trial)
        public void close() {
            for (VadSession session : sessions) {
                session.close();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Threads(1)
    public float oneCallWindow(Model model, OneCall call) {
        short[] window = model.windows.get(call.next);
        call.next = (call.next + 1) % model.windows.size();
        return call.session.speechProbability(window);
    }

    /**
     * The CPU time the benchmark threads spend, as a rate next to the throughput: dividing it by the
     * windows per second gives the CPU cost of a window, which waiting for a busy core does not inflate.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class CpuTime {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long cpuNanos;

        @Setup(Level.Iteration)
        public void clear() {
            cpuNanos = 0;
        }
    }

    /**
     * Windows per second over 100 calls round-robin on two threads (100 real-time calls need 3125),
     * with {@code cpuNanos}: CPU nanoseconds spent per second.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public float hundredCallsThroughput(Model model, ManyCalls calls, CpuTime cpu) {
        long start = CpuTime.THREADS.getCurrentThreadCpuTime();
        float p = calls.nextWindow(model);
        cpu.cpuNanos += CpuTime.THREADS.getCurrentThreadCpuTime() - start;
        return p;
    }

    /** The latency of one window while 100 calls share the model on two threads. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Threads(2)
    public float hundredCallsLatency(Model model, ManyCalls calls) {
        return calls.nextWindow(model);
    }
}
