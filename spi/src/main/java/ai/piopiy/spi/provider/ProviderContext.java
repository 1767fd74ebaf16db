package ai.piopiy.spi.provider;

import ai.piopiy.spi.metrics.MetricsSink;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;

/**
 * Shared resources the host gives a provider. Providers take what they need from here instead of
 * creating their own threads and clients, so a thousand calls share one scheduler.
 */
public interface ProviderContext {

    /** A scheduler for timers (keep-alives, timeouts). Tasks must be short and must not block. */
    ScheduledExecutorService scheduler();

    /** Runs blocking work, one virtual thread per task. */
    ExecutorService blockingExecutor();

    /** A shared JDK HTTP client, for providers that do not bring their own. */
    HttpClient httpClient();

    /** Where provider-made measurements go. */
    MetricsSink metrics();

    /** A logger named after the provider. Never log a {@link Secret}'s value. */
    Logger logger();

    /** The process environment (tests pass their own), where API keys are usually found. */
    Map<String, String> environment();

    /** The monotonic clock all call timestamps use, in nanoseconds. */
    default long nanoTime() {
        return System.nanoTime();
    }
}
