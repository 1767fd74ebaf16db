package ai.piopiy.plugin.livekit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the agent joins a call's LiveKit room.
 *
 * @param inputRate the rate the caller's audio reaches the pipeline at (the Python SDK's 16 kHz); the room's
 *     48 kHz is resampled to it
 * @param outputRate the rate the pipeline's audio comes in at (the SDK's 8 kHz telephony); resampled to 48 kHz
 *     for the room
 * @param trackName the name of the agent's published audio track
 * @param joinTimeout how long joining may take: the join response, the primary peer connection up and the
 *     agent's track published
 * @param reconnectTimeout how long a dropped signaling link is retried (resumed) before the call ends
 */
public record LiveKitConfig(int inputRate, int outputRate, String trackName, Duration joinTimeout, Duration reconnectTimeout) {

    public static final LiveKitConfig DEFAULTS =
            new LiveKitConfig(16_000, 8_000, "agent", Duration.ofSeconds(15), Duration.ofSeconds(10));

    public LiveKitConfig {
        requireNonNull(trackName, "trackName is null");
        requireNonNull(joinTimeout, "joinTimeout is null");
        requireNonNull(reconnectTimeout, "reconnectTimeout is null");
        if (inputRate < 8_000 || inputRate > 48_000 || outputRate < 8_000 || outputRate > 48_000) {
            throw new IllegalArgumentException("rates must be within 8000..48000 Hz, got input " + inputRate + ", output " + outputRate);
        }
        if (joinTimeout.isNegative() || joinTimeout.isZero() || reconnectTimeout.isNegative()) {
            throw new IllegalArgumentException("joinTimeout must be positive and reconnectTimeout not negative");
        }
    }
}
