package ai.piopiy.plugin.elevenlabs.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.ElevenLabsTtsConfig;
import ai.piopiy.spi.metrics.MetricsSink;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;

/**
 * What every session of one service shares.
 *
 * @param callbacks runs listener callbacks that do not come from a socket's reader thread
 */
public record ElevenLabsResources(
        ElevenLabsTtsConfig config,
        ElevenLabsProtocol protocol,
        OkHttpClient client,
        Executor callbacks,
        MetricsSink metrics,
        Logger logger,
        LongSupplier clock) {

    public static final String SERVICE = "elevenlabs";

    public ElevenLabsResources {
        requireNonNull(config, "config is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(client, "client is null");
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
