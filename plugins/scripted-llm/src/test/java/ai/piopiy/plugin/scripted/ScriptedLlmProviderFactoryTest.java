package ai.piopiy.plugin.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ScriptedLlmProviderFactoryTest {

    @Test
    void isFoundThroughServiceLoader() {
        List<ProviderFactory> found = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("scripted"))
                .toList();

        assertThat(found).singleElement().isInstanceOfSatisfying(ScriptedLlmProviderFactory.class, factory -> {
            assertThat(factory.kind()).isEqualTo(ProviderKind.LLM);
            assertThat(factory.secretKeys()).isEmpty();
            assertThat(factory.description()).contains("Scripted");
        });
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProviderConfig settings = ProviderConfig.of("pipeline.llm", Map.of(), Map.of());
        ScriptedLlmConfig config = ScriptedLlmProviderFactory.config(settings);

        assertThat(config.rules()).isEmpty();
        assertThat(config.fallback()).isEqualTo("Sorry, I can only answer a few scripted questions.");
        assertThat(config.firstTokenDelay()).isEqualTo(Duration.ofMillis(150));
        assertThat(config.tokenDelay()).isEqualTo(Duration.ofMillis(15));
        assertThat(config).isEqualTo(ScriptedLlmConfig.of(List.of()));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void mapsEverySetting() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("rules", List.of(
                Map.of("match", "\\b(hello|hi)\\b", "reply", "Hello! How can I help?"),
                Map.of("match", "weather in (\\w+)",
                        "tool", Map.of("name", "get_weather", "arguments", Map.of("city", "{match.1}", "days", 1)),
                        "reply", "It is {result.temperature} degrees in {match.1}.")));
        values.put("fallback", "Pardon?");
        values.put("first_token_delay_ms", 40);
        values.put("token_delay_ms", "5");
        ProviderConfig settings = ProviderConfig.of("pipeline.llm", values, Map.of());

        ScriptedLlmConfig config = ScriptedLlmProviderFactory.config(settings);

        assertThat(config.rules()).containsExactly(
                ScriptedRule.reply("\\b(hello|hi)\\b", "Hello! How can I help?"),
                ScriptedRule.tool("weather in (\\w+)", "get_weather", config.rules().get(1).toolArgumentsJson(),
                        "It is {result.temperature} degrees in {match.1}."));
        assertThat(config.rules().get(1).toolArgumentsJson()).contains("\"city\":\"{match.1}\"").contains("\"days\":1");
        assertThat(config.fallback()).isEqualTo("Pardon?");
        assertThat(config.firstTokenDelay()).isEqualTo(Duration.ofMillis(40));
        assertThat(config.tokenDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(settings.unreadPaths()).isEmpty();
    }

    @Test
    void unknownTopLevelSettingsAreLeftForTheRuntimeToReport() {
        ProviderConfig settings = ProviderConfig.of("pipeline.llm", Map.of("modle", "gpt"), Map.of());
        ScriptedLlmProviderFactory.config(settings);

        assertThat(settings.unreadPaths()).containsExactly("pipeline.llm.modle");
    }

    @Test
    void badRulesGiveExactPathStyleErrors() {
        assertError(rules(Map.of("match", "hi", "reply", "a"), Map.of("match", "x", "reply", "b"),
                        Map.of("match", "book (a table", "reply", "c")),
                "pipeline.llm.rules[2].match: not a valid regular expression: Unclosed group near index 13");
        assertError(rules(Map.of("match", "hi")), "pipeline.llm.rules[0].reply: missing; expected a string");
        assertError(rules(Map.of("reply", "hi")), "pipeline.llm.rules[0].match: missing; expected a string");
        assertError(rules(Map.of("match", "hi", "reply", 3)), "pipeline.llm.rules[0].reply: expected a string but got a number 3");
        assertError(rules(Map.of("match", "hi", "reply", "a", "replly", "b")),
                "pipeline.llm.rules[0].replly: unknown setting (a rule has match, reply and tool)");
        assertError(rules(Map.of("match", "hi", "reply", "Hello {name}")),
                "pipeline.llm.rules[0].reply: unknown placeholder {name}; use {match.N} or {result.field}");
        assertError(rules(Map.of("match", "hi", "reply", "It is {result.temp}")),
                "pipeline.llm.rules[0].reply: {result.temp} needs a tool result; only a rule with a tool can use it");
        assertError(rules(Map.of("match", "in (\\w+)", "reply", "{match.2}")),
                "pipeline.llm.rules[0].reply: {match.2} refers to group 2 but the match has 1 group");
        assertError(rules(Map.of("match", "hi", "reply", "a", "tool", Map.of("arguments", Map.of()))),
                "pipeline.llm.rules[0].tool.name: missing; expected a string");
        assertError(rules(Map.of("match", "hi", "reply", "a", "tool", Map.of("name", "t", "arguments", List.of(1)))),
                "pipeline.llm.rules[0].tool.arguments: expected an object");
        assertError(rules(Map.of("match", "hi", "reply", "a", "tool", Map.of("name", "t", "args", Map.of()))),
                "pipeline.llm.rules[0].tool.args: unknown setting (a rule has match, reply and tool)");
        assertError(rules(Map.of("match", "hi", "reply", "a", "tool", Map.of("name", "t", "arguments", Map.of("q", "{match.1}")))),
                "pipeline.llm.rules[0].tool.arguments: {match.1} refers to group 1 but the match has 0 groups");
        assertError(rules("hi"), "pipeline.llm.rules[0]: expected an object with \"match\" and \"reply\"");
        assertError(Map.of("rules", "hi"), "pipeline.llm.rules: expected a list of rule objects");
        assertError(Map.of("fallback", " "), "pipeline.llm.fallback: must not be empty");
        assertError(Map.of("fallback", "It is {result.temp}"), "pipeline.llm.fallback: may not use placeholders; no rule matched it");
        assertError(Map.of("token_delay_ms", -1), "pipeline.llm.token_delay_ms: must not be negative, got -1");
        assertError(Map.of("first_token_delay_ms", "soon"),
                "pipeline.llm.first_token_delay_ms: expected an integer but got the string \"soon\"");
    }

    @Test
    void createsTheService() {
        try (RecordingProviderContext context = new RecordingProviderContext("scripted");
                ScriptedLlmService service = new ScriptedLlmProviderFactory().create(
                        ProviderConfig.of("pipeline.llm", Map.of("fallback", "Pardon?"), Map.of()), context)) {
            assertThat(service.name()).isEqualTo("scripted");
            assertThat(service.config().fallback()).isEqualTo("Pardon?");
        }
    }

    @Test
    void aBadRuleFromCodeNamesTheSetting() {
        try (RecordingProviderContext context = new RecordingProviderContext("scripted")) {
            assertThatThrownBy(() -> new ScriptedLlmService(
                    ScriptedLlmConfig.of(List.of(ScriptedRule.tool("x", "t", "[1]", "ok"))), context))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tool.arguments: expected a JSON object");
        }
    }

    private static Map<String, Object> rules(Object... rules) {
        return Map.of("rules", List.of(rules));
    }

    private static void assertError(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> ScriptedLlmProviderFactory.config(ProviderConfig.of("pipeline.llm", values, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
