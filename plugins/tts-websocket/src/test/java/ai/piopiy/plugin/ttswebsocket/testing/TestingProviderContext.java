package ai.piopiy.plugin.ttswebsocket.testing;

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

/** A host context for tests: records metrics and log lines, and has its own environment. */
public final class TestingProviderContext implements ProviderContext, AutoCloseable {

    private final Map<String, String> environment;
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final CapturingLogger logger = new CapturingLogger("test-provider");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    public TestingProviderContext(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public TestingProviderContext() {
        this(Map.of());
    }

    public List<Metric> recordedMetrics() {
        return metrics;
    }

    /** Every line logged through {@link #logger()}, formatted, with the exception's messages. */
    public List<String> logLines() {
        return logger.lines();
    }

    /** Waits up to 5 s for a log line containing {@code text}: the trace of work that has no callback. */
    public void awaitLogLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (logger.lines().stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line containing \"" + text + "\" within 5 s; lines: " + logger.lines());
            }
            Thread.sleep(5);
        }
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
        throw new UnsupportedOperationException("these tests bring their own HTTP client");
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
