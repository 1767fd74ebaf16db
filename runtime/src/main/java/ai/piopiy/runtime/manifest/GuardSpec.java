package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits that end a call.
 *
 * @param idleTimeout the call ends when neither the bot speaks nor the LLM answers for this long
 *     (60 s by default, as in the Python SDK)
 * @param maxDuration the call ends after this long, whatever happens; empty for no limit
 */
public record GuardSpec(Duration idleTimeout, Optional<Duration> maxDuration) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final GuardSpec DEFAULT = new GuardSpec(DEFAULT_IDLE_TIMEOUT, Optional.empty());

    public GuardSpec {
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(maxDuration, "maxDuration is null");
    }
}
