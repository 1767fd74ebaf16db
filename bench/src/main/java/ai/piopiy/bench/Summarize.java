package ai.piopiy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON lines of a benchmark session and prints, per configuration, the median of each
 * metric over its runs (WORKLOADS.md: three runs, median reported) as one JSON line each.
 */
public final class Summarize {

    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\": (\"[^\"]*\"|[-0-9.eE]+|true|false)");

    public static void main(String[] args) throws Exception {
        Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.startsWith("{")) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                fields.put(m.group(1), m.group(2));
            }
            String key = fields.get("workload") + "/" + fields.getOrDefault("mode", fields.get("calls"));
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(fields);
        }
        groups.forEach((key, runs) -> {
            StringBuilder out = new StringBuilder("{\"runs\": " + runs.size());
            for (String field : runs.getFirst().keySet()) {
                List<Double> numbers = new ArrayList<>();
                for (Map<String, String> run : runs) {
                    try {
                        numbers.add(Double.parseDouble(run.get(field)));
                    } catch (RuntimeException e) {
                        numbers = null;
                        break;
                    }
                }
                out.append(", \"").append(field).append("\": ");
                if (numbers == null) {
                    out.append(runs.getFirst().get(field));
                } else {
                    numbers.sort(Double::compare);
                    out.append(String.format(Locale.ROOT, "%.3f", numbers.get((numbers.size() - 1) / 2)));
                }
            }
            System.out.println(out.append('}'));
        });
    }
}
