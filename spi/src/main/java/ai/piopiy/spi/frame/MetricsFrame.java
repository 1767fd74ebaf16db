package ai.piopiy.spi.frame;

import ai.piopiy.spi.metrics.Metric;
import java.util.List;

/** Measurements made by a processor (time to first byte, usage). */
public record MetricsFrame(List<Metric> metrics) implements SystemFrame {
    public MetricsFrame {
        metrics = List.copyOf(metrics);
    }
}
