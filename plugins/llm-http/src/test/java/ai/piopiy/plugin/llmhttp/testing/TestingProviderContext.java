package ai.piopiy.plugin.llmhttp.testing;

import ai.piopiy.plugin.llmhttp.StandaloneContext;
import ai.piopiy.spi.metrics.Metric;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A provider context for tests: keeps the metrics it is given and the environment it was made with. */
public final class TestingProviderContext extends StandaloneContext {

    private final List<Metric> metrics;

    public TestingProviderContext(Map<String, String> environment) {
        this(new CopyOnWriteArrayList<>(), environment);
    }

    public TestingProviderContext() {
        this(Map.of());
    }

    private TestingProviderContext(List<Metric> metrics, Map<String, String> environment) {
        super("test", metrics::add, environment);
        this.metrics = metrics;
    }

    public List<Metric> recordedMetrics() {
        return List.copyOf(metrics);
    }
}
