package ai.piopiy.plugin.ttswebsocket;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.Secret;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every session of one WebSocket service shares: its client, where metrics and logs go, the
 * clock, and the key to keep out of messages.
 *
 * @param service the provider id, the source of metrics and the prefix of errors ({@code cartesia})
 * @param provider the provider's name in messages ({@code Cartesia})
 */
public record ServiceResources(
        String service,
        String provider,
        WebSocketClient client,
        MetricsSink metrics,
        Logger logger,
        LongSupplier clock,
        SecretRedactor redactor) implements AutoCloseable {

    public ServiceResources {
        requireNonNull(service, "service is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(client, "client is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(redactor, "redactor is null");
    }

    /** Resources from the host's context. */
    public static ServiceResources of(String service, String provider, Secret key, WebSocketClient client, ProviderContext context) {
        requireNonNull(context, "context is null");
        return new ServiceResources(service, provider, client, context.metrics(), context.logger(), context::nanoTime,
                new SecretRedactor(key));
    }

    /** Resources for library use without a host: no metrics, a logger named after {@code owner}. */
    public static ServiceResources standalone(String service, String provider, Secret key, WebSocketClient client, Class<?> owner) {
        return new ServiceResources(service, provider, client, MetricsSink.NONE, LoggerFactory.getLogger(owner), System::nanoTime,
                new SecretRedactor(key));
    }

    public String redact(String text) {
        return redactor.redact(text);
    }

    @Override
    public void close() {
        client.close();
    }
}
