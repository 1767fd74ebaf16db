package ai.piopiy.runtime.report;

import java.util.List;
import java.util.Locale;

/**
 * Draws a call's turns as an SVG picture a person can open in a browser: one row per caller turn,
 * time running right from the moment the caller stopped speaking, a coloured bar per stage.
 */
public final class LatencyTimeline {

    private record Stage(String name, String colour) {}

    private static final Stage[] STAGES = {
        new Stage("STT final", "#4e79a7"),
        new Stage("LLM first token", "#f28e2b"),
        new Stage("first sentence", "#edc948"),
        new Stage("TTS first audio", "#59a14f"),
        new Stage("runtime", "#b07aa1"),
    };

    private LatencyTimeline() {}

    public static String svg(List<CallReport.Turn> turns) {
        long maxNanos = 1;
        for (CallReport.Turn t : turns) {
            maxNanos = Math.max(maxNanos, t.totalNanos());
        }
        double scaleMs = niceCeiling(maxNanos / 1e6);
        int left = 70;
        int width = 900;
        int plot = width - left - 30;
        int row = 34;
        int top = 50;
        int height = top + row * Math.max(1, turns.size()) + 70;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Per-turn latency: caller stopped speaking to first bot audio</text>%n", left));
        for (int i = 0; i <= 4; i++) {
            double ms = scaleMs * i / 4;
            double x = left + plot * i / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, top - 8, x, top + row * turns.size()));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%.0f ms</text>%n", x, top + row * turns.size() + 16, ms));
        }
        for (int i = 0; i < turns.size(); i++) {
            CallReport.Turn t = turns.get(i);
            int y = top + row * i;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">turn %d</text>%n", left - 8, y + 17, t.number));
            if (t.totalNanos() < 0) {
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#999\">not answered</text>%n", left + 4, y + 17));
                continue;
            }
            long[] parts = {t.sttNanos(), t.llmNanos(), t.firstSentenceNanos(), t.ttsNanos(), t.runtimeNanos()};
            double x = left;
            for (int p = 0; p < parts.length; p++) {
                double w = plot * (parts[p] / 1e6) / scaleMs;
                if (w > 0) {
                    s.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"22\" fill=\"%s\"><title>turn %d %s: %.0f ms</title></rect>%n",
                            x, y + 4, w, STAGES[p].colour(), t.number, STAGES[p].name(), parts[p] / 1e6));
                    x += w;
                }
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%.0f ms%s</text>%n", x + 6, y + 19,
                    t.totalNanos() / 1e6, t.toolCalls > 0 ? " (tool)" : ""));
        }
        int ly = top + row * turns.size() + 40;
        int lx = left;
        for (Stage stage : STAGES) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", lx, ly - 10, stage.colour()));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 16, ly, stage.name()));
            lx += 30 + stage.name().length() * 7;
        }
        return s.append("</svg>\n").toString();
    }

    private static double niceCeiling(double ms) {
        double[] steps = {100, 200, 400, 500, 800, 1000, 1500, 2000, 3000, 4000, 5000, 8000, 10000, 20000, 60000};
        for (double step : steps) {
            if (ms <= step) {
                return step;
            }
        }
        return Math.ceil(ms / 10000) * 10000;
    }
}
