package ai.piopiy.plugin.llmhttp.testing;

import static java.util.Objects.requireNonNull;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A provider context for tests: keeps the metrics it is given and the environment it was made with. */
public final class TestingProviderContext implements ProviderContext, AutoCloseable {

    private final Map<String, String> environment;
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("test-timer").factory());
    private final Logger logger = LoggerFactory.getLogger("ai.piopiy.provider.test");
    private HttpClient httpClient;

    public TestingProviderContext(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    public TestingProviderContext() {
        this(Map.of());
    }

    public List<Metric> recordedMetrics() {
        return List.copyOf(metrics);
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
    public synchronized HttpClient httpClient() {
        if (httpClient == null) {
            httpClient = HttpClient.newHttpClient();
        }
        return httpClient;
    }

    @Override
    public MetricsSink metrics() {
        return metrics::add;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public synchronized void close() {
        blocking.shutdownNow();
        scheduler.shutdownNow();
        if (httpClient != null) {
            httpClient.close();
        }
    }
}
