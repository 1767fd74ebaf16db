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
 * virtual threads for streams, metrics dropped, the process environment. The scheduler and the JDK
 * client are made only if asked for. The service that made it closes it.
 */
public final class StandaloneContext implements ProviderContext, AutoCloseable {

    private final Logger logger;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService scheduler;
    private HttpClient httpClient;

    public StandaloneContext(String name) {
        this.logger = LoggerFactory.getLogger("ai.piopiy.provider." + requireNonNull(name, "name is null"));
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
        return MetricsSink.NONE;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Map<String, String> environment() {
        return System.getenv();
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
