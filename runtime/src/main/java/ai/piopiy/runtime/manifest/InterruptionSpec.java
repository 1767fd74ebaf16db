package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Whether and when the caller may interrupt the bot.
 *
 * @param allowed false (the default) lets the bot finish every answer
 * @param strategy what counts as a real barge-in; empty leaves it to the engine: with a VAD, speech
 *     the VAD hears interrupts; without one, a single word does (the Python SDK's default)
 */
public record InterruptionSpec(boolean allowed, Optional<Strategy> strategy) {

    public static final InterruptionSpec DEFAULT = new InterruptionSpec(false, Optional.empty());

    public InterruptionSpec {
        requireNonNull(strategy, "strategy is null");
    }

    /** What counts as a real barge-in. */
    public sealed interface Strategy {}

    /**
     * At least {@code minWords} words heard, not counting {@code backchannels} ("uh-huh", "okay"),
     * which a listener says without meaning to take the turn.
     */
    public record MinWords(int minWords, Set<String> backchannels) implements Strategy {
        public MinWords {
            if (minWords < 1) {
                throw new IllegalArgumentException("minWords must be at least 1, got " + minWords);
            }
            backchannels = Set.copyOf(backchannels);
        }
    }

    /** At least {@code seconds} of speech. */
    public record MinDuration(double seconds) implements Strategy {
        public MinDuration {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("seconds must be positive, got " + seconds);
            }
        }
    }
}
