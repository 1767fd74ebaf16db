package ai.piopiy.plugin.elevenlabs.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.ElevenLabsTtsConfig;
import ai.piopiy.plugin.support.SecretRedactor;
import ai.piopiy.plugin.support.WebSocketClient;
import ai.piopiy.spi.metrics.MetricsSink;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/** What every session of one service shares. */
public record ElevenLabsResources(
        ElevenLabsTtsConfig config,
        ElevenLabsProtocol protocol,
        WebSocketClient client,
        MetricsSink metrics,
        Logger logger,
        LongSupplier clock,
        SecretRedactor redactor) {

    public static final String SERVICE = "elevenlabs";
    public static final String PROVIDER = "ElevenLabs";

    public ElevenLabsResources {
        requireNonNull(config, "config is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(client, "client is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(redactor, "redactor is null");
    }

    public String redact(String text) {
        return redactor.redact(text);
    }
}
