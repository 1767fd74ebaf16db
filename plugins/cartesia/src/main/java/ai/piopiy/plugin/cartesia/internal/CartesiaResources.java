package ai.piopiy.plugin.cartesia.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.CartesiaTtsConfig;
import ai.piopiy.plugin.support.SecretRedactor;
import ai.piopiy.plugin.support.WebSocketClient;
import ai.piopiy.spi.metrics.MetricsSink;
import java.util.function.LongSupplier;
import okhttp3.Request;
import org.slf4j.Logger;

/** What every session of one service shares. */
public record CartesiaResources(
        CartesiaTtsConfig config,
        WebSocketClient client,
        Request handshake,
        MetricsSink metrics,
        Logger logger,
        LongSupplier clock,
        SecretRedactor redactor) {

    public static final String SERVICE = "cartesia";
    public static final String PROVIDER = "Cartesia";

    public CartesiaResources {
        requireNonNull(config, "config is null");
        requireNonNull(client, "client is null");
        requireNonNull(handshake, "handshake is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(redactor, "redactor is null");
    }

    public String redact(String text) {
        return redactor.redact(text);
    }
}
