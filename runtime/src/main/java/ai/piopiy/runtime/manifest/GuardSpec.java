package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits that end a call; {@link Duration#ZERO} turns a limit off.
 *
 * @param idleTimeout the call ends when neither side has spoken for this long (60 s by default, as
 *     in the Python SDK)
 * @param maxDuration the call ends once it has lasted this long (30 minutes by default)
 * @param goodbye what the bot says before a guard ends the call; empty for the engine's default
 *     sentence, {@code ""} to hang up silently
 */
public record GuardSpec(Duration idleTimeout, Duration maxDuration, Optional<String> goodbye) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(30);
    public static final GuardSpec DEFAULT = new GuardSpec(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_DURATION, Optional.empty());

    public GuardSpec {
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(maxDuration, "maxDuration is null");
        requireNonNull(goodbye, "goodbye is null");
    }
}
