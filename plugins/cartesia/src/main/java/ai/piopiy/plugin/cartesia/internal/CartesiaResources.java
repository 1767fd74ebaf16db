package ai.piopiy.plugin.cartesia.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.CartesiaTtsConfig;
import ai.piopiy.spi.metrics.MetricsSink;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;

/**
 * What every session of one service shares.
 *
 * @param callbacks runs listener callbacks that do not come from a socket's reader thread
 */
public record CartesiaResources(
        CartesiaTtsConfig config,
        OkHttpClient client,
        Request handshake,
        Executor callbacks,
        MetricsSink metrics,
        Logger logger,
        LongSupplier clock) {

    public static final String SERVICE = "cartesia";

    public CartesiaResources {
        requireNonNull(config, "config is null");
        requireNonNull(client, "client is null");
        requireNonNull(handshake, "handshake is null");
        requireNonNull(callbacks, "callbacks is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(clock, "clock is null");
    }

    /** Server-provided text with the API key masked, in case a server or proxy ever echoes it. */
    public String redact(String text) {
        String key = config.apiKey().reveal();
        return text == null || key.isEmpty() ? text : text.replace(key, "****");
    }
}
