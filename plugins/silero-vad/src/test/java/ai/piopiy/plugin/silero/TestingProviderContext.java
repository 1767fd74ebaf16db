package ai.piopiy.plugin.silero;

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

/** A host context for tests: real executors, an empty environment, metrics kept in a list. */
final class TestingProviderContext implements ProviderContext, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();

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
        return HttpClient.newHttpClient();
    }

    @Override
    public MetricsSink metrics() {
        return metrics::add;
    }

    List<Metric> recordedMetrics() {
        return metrics;
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("silero");
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
