package ai.piopiy.plugin.livekit;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TransportProviderFactory;
import java.time.Duration;
import java.util.Set;

/**
 * {@code "transport": {"provider": "livekit", "input_rate": 16000, "output_rate": 8000}}: joins the LiveKit
 * room each call's invite names, with the invite's URL and token (no secret in the manifest).
 */
public final class LiveKitProviderFactory implements TransportProviderFactory {

    private static final Set<Integer> RATES = Set.of(8_000, 12_000, 16_000, 24_000, 32_000, 48_000);

    @Override
    public String id() {
        return "livekit";
    }

    @Override
    public String description() {
        return "joins the call's LiveKit media room (WebRTC, Opus) and bridges its audio";
    }

    @Override
    public LiveKitTransportService create(ProviderConfig config, ProviderContext context) {
        return new LiveKitTransportService(config(config), context);
    }

    /** The settings of a manifest's transport section, defaults filled in. */
    public static LiveKitConfig config(ProviderConfig config) {
        LiveKitConfig d = LiveKitConfig.DEFAULTS;
        return new LiveKitConfig(
                rate(config, "input_rate", d.inputRate()),
                rate(config, "output_rate", d.outputRate()),
                config.string("track_name", d.trackName()),
                millis(config, "join_timeout_ms", d.joinTimeout(), 1),
                millis(config, "reconnect_timeout_ms", d.reconnectTimeout(), 0));
    }

    private static int rate(ProviderConfig config, String key, int defaultValue) {
        int rate = config.integer(key, defaultValue);
        if (!RATES.contains(rate)) {
            throw new ConfigException(config.pathOf(key), "expected one of 8000, 12000, 16000, 24000, 32000, 48000 but got " + rate);
        }
        return rate;
    }

    private static Duration millis(ProviderConfig config, String key, Duration defaultValue, int min) {
        int ms = config.integer(key, (int) defaultValue.toMillis());
        if (ms < min) {
            throw new ConfigException(config.pathOf(key), "must be at least " + min + " but got " + ms);
        }
        return Duration.ofMillis(ms);
    }
}
