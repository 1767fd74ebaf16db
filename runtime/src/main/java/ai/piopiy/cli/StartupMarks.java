package ai.piopiy.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The moments of {@code piopiy run}'s start-up, on the wall clock (nanoseconds since the epoch), so
 * they compare with a launcher's clock: the benchmark W3 of {@code shared/bench/WORKLOADS.md} hands
 * the process its spawn time in {@code BENCH_T0_NS} and reads the marks back as one JSON line.
 * Without it they are counted from the process's start as the operating system recorded it.
 */
final class StartupMarks {

    /** The environment variable a W3 launcher sets to its clock just before spawning the process. */
    static final String BENCH_T0_NS = "BENCH_T0_NS";

    private final long originNanos;
    private final boolean benchmark;
    // guarded by this: the last mark (prewarmed) is taken on a thread of its own
    private final Map<String, Long> marks = new LinkedHashMap<>();
    private final Map<String, Long> cpuMillis = new LinkedHashMap<>();

    private StartupMarks(long originNanos, boolean benchmark) {
        this.originNanos = originNanos;
        this.benchmark = benchmark;
    }

    /**
     * Marks taken from {@code runtimeReady} (the first moment the program ran) on, measured from the
     * launcher's {@code BENCH_T0_NS} when set, else from the process's start.
     */
    static StartupMarks from(long runtimeReady, Map<String, String> environment) {
        String t0 = environment.get(BENCH_T0_NS);
        StartupMarks marks;
        if (t0 != null && t0.matches("\\d{1,19}")) {
            marks = new StartupMarks(Long.parseLong(t0), true);
        } else {
            long processStart = processStart().orElse(runtimeReady);
            marks = new StartupMarks(Math.min(processStart, runtimeReady), false);
        }
        marks.marks.put("runtime_ready", runtimeReady);
        marks.recordCpu("runtime_ready");
        return marks;
    }

    /**
     * When this process started, to a clock tick (10 ms): from the kernel's uptime and the process's
     * start in ticks since boot. (The JDK's {@code ProcessHandle} adds the start to the boot time, which
     * Linux gives in whole seconds: up to a second off, too coarse for a start-up that takes less.)
     */
    private static Optional<Long> processStart() {
        long now = now();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which may hold spaces and parentheses
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]);
            String uptime = Files.readString(Path.of("/proc/uptime"));
            double uptimeSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            // clock ticks are 100 a second on every Linux the JDK runs on (USER_HZ)
            double runningSeconds = uptimeSeconds - startTicks / 100.0;
            return Optional.of(now - Math.round(runningSeconds * 1e9));
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant().map(StartupMarks::nanos);
        }
    }

    /** Now, on the wall clock, in nanoseconds since the epoch. */
    static long now() {
        return nanos(Instant.now());
    }

    synchronized void mark(String name) {
        marks.put(requireNonNull(name, "name is null"), now());
        recordCpu(name);
    }

    private void recordCpu(String name) {
        if (benchmark) {
            // CPU time says how much work each step is, whatever else the machine was doing meanwhile
            ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu -> cpuMillis.put(name, cpu.toMillis()));
        }
    }

    /** Milliseconds from the origin to {@code name}'s mark. */
    synchronized double millis(String name) {
        Long at = marks.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no mark " + name);
        }
        return (at - originNanos) / 1e6;
    }

    /** The W3 JSON line of every mark so far, when a launcher asked for it with {@code BENCH_T0_NS}. */
    synchronized Optional<String> benchmarkLine() {
        return benchmarkLine(marks.keySet());
    }

    /** The W3 JSON line of one later mark (its name, {@code _ms} and {@code _cpu_ms}). */
    synchronized Optional<String> benchmarkLine(String name) {
        return benchmarkLine(Set.of(name));
    }

    private Optional<String> benchmarkLine(Collection<String> names) {
        if (!benchmark) {
            return Optional.empty();
        }
        StringJoiner json = new StringJoiner(", ", "{\"workload\": \"W3\", \"topology\": \"run\", ", "}");
        for (String name : names) {
            json.add("\"" + name + "_ms\": " + String.format(Locale.ROOT, "%.1f", millis(name)));
        }
        for (String name : names) {
            Long cpu = cpuMillis.get(name);
            if (cpu != null) {
                json.add("\"" + name + "_cpu_ms\": " + cpu);
            }
        }
        return Optional.of(json.toString());
    }

    /** Each mark's share: "runtime 61 ms, plugins 140 ms, ...", from the origin or the mark before. */
    synchronized String shares(Map<String, String> labels) {
        StringJoiner parts = new StringJoiner(", ");
        double before = 0;
        for (String name : marks.keySet()) {
            double at = millis(name);
            parts.add(labels.getOrDefault(name, name) + " " + Math.round(at - before) + " ms");
            before = at;
        }
        return parts.toString();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
