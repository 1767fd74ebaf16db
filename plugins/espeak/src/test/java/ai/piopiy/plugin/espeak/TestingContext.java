package ai.piopiy.plugin.espeak;

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

/** A provider context with its own scheduler, slf4j-simple's logger and a recording metrics sink. */
final class TestingContext implements ProviderContext, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("test-scheduler").factory());
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final Logger logger = LoggerFactory.getLogger("espeak");
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final Map<String, String> environment;

    TestingContext(Map<String, String> environment) {
        this.environment = environment;
    }

    List<Metric> recordedMetrics() {
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
        throw new UnsupportedOperationException("eSpeak makes no HTTP calls");
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
    public void close() {
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
