package ai.piopiy.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The measurements WORKLOADS.md asks for: nearest-rank percentiles, process CPU time, RSS, one JSON line. */
final class Measure {

    private Measure() {}

    /** Nearest rank: the p-th percentile of n sorted values is element ceil(p/100 * n), 1-based. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long[] sorted(long[] values, int count) {
        long[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        return copy;
    }

    static double mean(long[] values) {
        return values.length == 0 ? 0 : Arrays.stream(values).average().orElse(0);
    }

    /** User + system CPU time of the whole process, in nanoseconds. */
    static long processCpuNanos() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime();
    }

    /** Peak resident set size (VmHWM) in MiB. */
    static double peakRssMib() {
        return statusKib("VmHWM:") / 1024.0;
    }

    /** Current resident set size (VmRSS) in MiB. */
    static double rssMib() {
        return statusKib("VmRSS:") / 1024.0;
    }

    private static long statusKib(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** A flat JSON object, keys in insertion order; values are numbers, booleans or strings. */
    static final class JsonLine {
        private final Map<String, Object> values = new LinkedHashMap<>();

        JsonLine put(String key, Object value) {
            values.put(key, value);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("{");
            values.forEach((k, v) -> {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append('"').append(k).append("\": ");
                if (v instanceof String s) {
                    b.append('"').append(s.replace("\"", "\\\"")).append('"');
                } else if (v instanceof Double d) {
                    b.append(String.format(Locale.ROOT, "%.3f", d));
                } else {
                    b.append(v);
                }
            });
            return b.append('}').toString();
        }
    }
}
