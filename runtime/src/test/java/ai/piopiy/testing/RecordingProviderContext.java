package ai.piopiy.testing;

import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The host context of provider tests: its own daemon scheduler and virtual-thread executor (shut down by
 * {@link #close()}), a {@link CapturingLogger} named after the provider, the given environment, and metrics
 * kept in a list. It offers no HTTP client, so a plugin that brings its own client is not handed one by mistake.
 */
public final class RecordingProviderContext implements ProviderContext, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("test-scheduler").factory());
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final CapturingLogger logger;
    private final Map<String, String> environment;

    public RecordingProviderContext(String provider, Map<String, String> environment) {
        this.logger = new CapturingLogger(provider);
        this.environment = Map.copyOf(environment);
    }

    public RecordingProviderContext(String provider) {
        this(provider, Map.of());
    }

    /** Every metric recorded so far, in order. */
    public List<Metric> recordedMetrics() {
        return metrics;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public ExecutorService blockingExecutor() {
        return blocking;
    }

    @Override
    public HttpClient httpClient() {
        throw new UnsupportedOperationException("this test context offers no HTTP client");
    }

    @Override
    public MetricsSink metrics() {
        return metrics::add;
    }

    /** The logger given to the provider, which keeps every line it logged. */
    @Override
    public CapturingLogger logger() {
        return logger;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
