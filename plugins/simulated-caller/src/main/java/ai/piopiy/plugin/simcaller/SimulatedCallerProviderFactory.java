package ai.piopiy.plugin.simcaller;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TransportProviderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code "transport": {"provider": "simulated-caller", "lines": [{"say": "...", "when": "bot_quiet", "after_ms": 700}, ...]}}
 */
public final class SimulatedCallerProviderFactory implements TransportProviderFactory {

    @Override
    public String id() {
        return "simulated-caller";
    }

    @Override
    public String description() {
        return "a scripted caller spoken by flite, for demos and end-to-end tests";
    }

    @Override
    public SimulatedCallerService create(ProviderConfig config, ProviderContext context) {
        SimulatedCallerConfig defaults = SimulatedCallerConfig.of(List.of());
        List<CallerLine> lines = new ArrayList<>();
        Object raw = config.raw("lines").orElseThrow(() -> new ConfigException(config.pathOf("lines"), "missing; expected a list of lines"));
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new ConfigException(config.pathOf("lines"), "expected a non-empty list of lines");
        }
        for (int i = 0; i < list.size(); i++) {
            String path = config.pathOf("lines") + "[" + i + "]";
            if (!(list.get(i) instanceof java.util.Map<?, ?> map)) {
                throw new ConfigException(path, "expected an object like {\"say\": \"...\", \"when\": \"bot_quiet\", \"after_ms\": 700}");
            }
            @SuppressWarnings("unchecked")
            ProviderConfig line = ProviderConfig.of(path, (java.util.Map<String, ?>) map, config.environment());
            String say = line.requireString("say");
            String whenText = line.string("when", "bot_quiet");
            CallerLine.When when;
            try {
                when = CallerLine.When.valueOf(whenText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(line.pathOf("when"), "expected one of bot_quiet, bot_speaking, pause but got \"" + whenText + "\"");
            }
            int after = line.integer("after_ms", when == CallerLine.When.BOT_SPEAKING ? 1_500 : 700);
            if (after < 0) {
                throw new ConfigException(line.pathOf("after_ms"), "must not be negative");
            }
            if (!line.unreadPaths().isEmpty()) {
                throw new ConfigException(line.unreadPaths().getFirst(), "unknown setting (a line has say, when, after_ms)");
            }
            lines.add(new CallerLine(say, when, after));
        }
        SimulatedCallerConfig c = new SimulatedCallerConfig(lines,
                config.string("voice", defaults.voice()),
                config.integer("input_rate", defaults.inputRate()),
                config.integer("output_rate", defaults.outputRate()),
                config.integer("hang_up_after_ms", defaults.hangUpAfterMillis()),
                config.integer("max_call_ms", defaults.maxCallMillis()),
                config.string("flite", defaults.flite()));
        return new SimulatedCallerService(c, context.logger());
    }
}
