package ai.piopiy.spi.metrics;

/** Where a provider reports measurements it makes itself. Thread-safe; must not block. */
@FunctionalInterface
public interface MetricsSink {

    MetricsSink NONE = metric -> {};

    void record(Metric metric);
}
