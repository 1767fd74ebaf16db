package ai.piopiy.runtime.plugin;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host resources providers share: one scheduler, one virtual-thread executor, one HTTP client.
 * Each is made on first use, so a command that never needs one ({@code piopiy validate} with
 * providers that do not ask) never pays for it. {@link #forProvider} gives a provider its view, with
 * a logger named after it.
 */
public final class RuntimeProviderContext implements AutoCloseable {

    private final Map<String, String> environment;
    private final MetricsSink metrics;
    private ScheduledExecutorService scheduler;
    private ExecutorService blockingExecutor;
    private HttpClient httpClient;

    public RuntimeProviderContext(Map<String, String> environment) {
        this(environment, MetricsSink.NONE);
    }

    public RuntimeProviderContext(Map<String, String> environment, MetricsSink metrics) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** The context provider {@code providerId} is created with. */
    public ProviderContext forProvider(String providerId) {
        requireNonNull(providerId, "providerId is null");
        Logger logger = LoggerFactory.getLogger("ai.piopiy.provider." + providerId);
        return new ProviderContext() {
            @Override
            public ScheduledExecutorService scheduler() {
                return RuntimeProviderContext.this.scheduler();
            }

            @Override
            public ExecutorService blockingExecutor() {
                return RuntimeProviderContext.this.blockingExecutor();
            }

            @Override
            public HttpClient httpClient() {
                return RuntimeProviderContext.this.httpClient();
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
        };
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2,
                    Thread.ofPlatform().name("piopiy-scheduler-", 0).daemon(true).factory());
            // cancelled timeouts (the common case) must not pile up until their deadline
            executor.setRemoveOnCancelPolicy(true);
            scheduler = executor;
        }
        return scheduler;
    }

    private synchronized ExecutorService blockingExecutor() {
        if (blockingExecutor == null) {
            blockingExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("piopiy-blocking-", 0).factory());
        }
        return blockingExecutor;
    }

    private synchronized HttpClient httpClient() {
        if (httpClient == null) {
            httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return httpClient;
    }

    /** Stops the scheduler and executor and closes the HTTP client, if they were made. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (blockingExecutor != null) {
            blockingExecutor.shutdownNow();
        }
        if (httpClient != null) {
            httpClient.close();
        }
    }
}
