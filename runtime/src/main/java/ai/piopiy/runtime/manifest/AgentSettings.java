package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.Secret;
import java.net.URI;

/**
 * The agent's identity on the Piopiy platform and how many calls it takes at once.
 *
 * @param id the agent id from the Piopiy dashboard
 * @param token the agent token; a {@link Secret}, so it never shows in logs
 * @param signalingUrl the signaling server ({@value #DEFAULT_SIGNALING_URL} unless set)
 * @param maxConcurrentCalls calls beyond this many are declined, so that a busy process does not take
 *     calls it cannot serve well
 */
public record AgentSettings(String id, Secret token, URI signalingUrl, int maxConcurrentCalls) {

    public static final String DEFAULT_SIGNALING_URL = "https://signaling.piopiy.com";
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 10;

    public AgentSettings {
        requireNonNull(id, "id is null");
        requireNonNull(token, "token is null");
        requireNonNull(signalingUrl, "signalingUrl is null");
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1, got " + maxConcurrentCalls);
        }
    }
}
