package ai.piopiy.plugin.llmhttp;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context of a service made from code without a runtime ({@code new OpenAiLlmService(config)}):
 * virtual threads for streams, metrics dropped (or given to a sink of your own), the process
 * environment. The scheduler and the JDK client are made only if asked for. Whoever made it closes it.
 */
public class StandaloneContext implements ProviderContext, AutoCloseable {

    private final Logger logger;
    private final MetricsSink metrics;
    private final Map<String, String> environment;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService scheduler;
    private HttpClient httpClient;

    public StandaloneContext(String name) {
        this(name, MetricsSink.NONE, System.getenv());
    }

    public StandaloneContext(String name, MetricsSink metrics, Map<String, String> environment) {
        this.logger = LoggerFactory.getLogger("ai.piopiy.provider." + requireNonNull(name, "name is null"));
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("piopiy-llm-timer").factory());
        }
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
        return metrics;
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
        blocking.shutdown();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (httpClient != null) {
            httpClient.close();
        }
    }
}
