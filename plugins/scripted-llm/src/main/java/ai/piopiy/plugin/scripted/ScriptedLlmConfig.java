package ai.piopiy.plugin.scripted;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Settings of {@link ScriptedLlmService}.
 *
 * @param rules tried in order; the first whose {@code match} is found in the last user message answers
 * @param fallback said when no rule matches (no placeholders)
 * @param firstTokenDelay simulated think time before the first token (or tool call)
 * @param tokenDelay the pause between streamed word tokens
 */
public record ScriptedLlmConfig(List<ScriptedRule> rules, String fallback, Duration firstTokenDelay, Duration tokenDelay) {

    public static final String DEFAULT_FALLBACK = "Sorry, I can only answer a few scripted questions.";
    public static final Duration DEFAULT_FIRST_TOKEN_DELAY = Duration.ofMillis(150);
    public static final Duration DEFAULT_TOKEN_DELAY = Duration.ofMillis(15);

    public ScriptedLlmConfig {
        rules = List.copyOf(requireNonNull(rules, "rules is null"));
        requireNonNull(fallback, "fallback is null");
        requireNonNull(firstTokenDelay, "firstTokenDelay is null");
        requireNonNull(tokenDelay, "tokenDelay is null");
        if (firstTokenDelay.isNegative() || tokenDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** The given rules with the default fallback and pacing. */
    public static ScriptedLlmConfig of(List<ScriptedRule> rules) {
        return new ScriptedLlmConfig(rules, DEFAULT_FALLBACK, DEFAULT_FIRST_TOKEN_DELAY, DEFAULT_TOKEN_DELAY);
    }
}
