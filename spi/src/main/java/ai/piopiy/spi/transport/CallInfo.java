package ai.piopiy.spi.transport;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The call a transport connects: ids and the media room's coordinates (URL, access token, room name)
 * as the signaling server handed them over. {@code toString} does not show the token.
 */
public record CallInfo(String callId, String agentId, String fromNumber, String toNumber,
                       String url, String token, String room, Map<String, Object> metadata) {
    public CallInfo {
        requireNonNull(callId, "callId is null");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    @Override
    public String toString() {
        return "CallInfo[callId=" + callId + ", agentId=" + agentId + ", from=" + fromNumber + ", to=" + toNumber
                + ", url=" + url + ", room=" + room + ", token=" + (token == null ? "null" : "****") + "]";
    }
}
