package ai.piopiy.plugin.scripted;

import ai.piopiy.plugin.scripted.internal.CompiledRule;
import ai.piopiy.plugin.scripted.internal.InvalidRuleException;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.LlmProviderFactory;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code scripted} LLM provider: maps manifest settings to {@link ScriptedLlmConfig}. */
public final class ScriptedLlmProviderFactory implements LlmProviderFactory {

    /** A holder, so Jackson starts when a manifest uses this provider, not whenever the plugin is discovered. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public String description() {
        return "Scripted LLM stand-in: answers from regex rules in the manifest, with tool calls (demos, tests)";
    }

    @Override
    public ScriptedLlmService create(ProviderConfig config, ProviderContext context) {
        return new ScriptedLlmService(config(config), context);
    }

    /** Reads every supported setting; each rule is checked here, so a bad rule fails with its JSON path. */
    public static ScriptedLlmConfig config(ProviderConfig config) {
        List<ScriptedRule> rules = rules(config);
        String fallback = config.string("fallback", ScriptedLlmConfig.DEFAULT_FALLBACK);
        if (fallback.isBlank()) {
            throw new ConfigException(config.pathOf("fallback"), "must not be empty");
        }
        if (fallback.matches("(?s).*\\{[A-Za-z_][A-Za-z0-9_.]*}.*")) {
            throw new ConfigException(config.pathOf("fallback"), "may not use placeholders; no rule matched it");
        }
        return new ScriptedLlmConfig(rules, fallback,
                millis(config, "first_token_delay_ms", ScriptedLlmConfig.DEFAULT_FIRST_TOKEN_DELAY),
                millis(config, "token_delay_ms", ScriptedLlmConfig.DEFAULT_TOKEN_DELAY));
    }

    private static List<ScriptedRule> rules(ProviderConfig config) {
        Object raw = config.raw("rules").orElse(List.of());
        if (!(raw instanceof List<?> list)) {
            throw new ConfigException(config.pathOf("rules"), "expected a list of rule objects");
        }
        List<ScriptedRule> rules = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String path = config.pathOf("rules") + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw new ConfigException(path, "expected an object with \"match\" and \"reply\"");
            }
            ProviderConfig item = ProviderConfig.of(path, stringKeys(map), config.environment());
            ScriptedRule rule = rule(item);
            // the runtime only sees the top-level keys, so the rule's own unknown keys are reported here
            List<String> unknown = item.unreadPaths();
            if (!unknown.isEmpty()) {
                throw new ConfigException(unknown.getFirst(), "unknown setting (a rule has match, reply and tool)");
            }
            try {
                CompiledRule.compile(rule, Json.MAPPER);
            } catch (InvalidRuleException e) {
                throw new ConfigException(path + "." + e.field(), e.problem());
            }
            rules.add(rule);
        }
        return rules;
    }

    private static ScriptedRule rule(ProviderConfig item) {
        String match = item.requireString("match");
        String reply = item.requireString("reply");
        var tool = item.child("tool");
        if (tool.isEmpty()) {
            return ScriptedRule.reply(match, reply);
        }
        ProviderConfig t = tool.get();
        String name = t.requireString("name");
        Object arguments = t.raw("arguments").orElse(Map.of());
        if (!(arguments instanceof Map<?, ?>)) {
            throw new ConfigException(t.pathOf("arguments"), "expected an object");
        }
        try {
            return ScriptedRule.tool(match, name, Json.MAPPER.writeValueAsString(arguments), reply);
        } catch (JsonProcessingException e) {
            throw new ConfigException(t.pathOf("arguments"), "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Duration millis(ProviderConfig config, String key, Duration defaultValue) {
        int value = config.integer(key, (int) defaultValue.toMillis());
        if (value < 0) {
            throw new ConfigException(config.pathOf(key), "must not be negative, got " + value);
        }
        return Duration.ofMillis(value);
    }
}
