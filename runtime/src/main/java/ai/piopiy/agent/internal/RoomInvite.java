package ai.piopiy.agent.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.transport.CallInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One accepted {@code join_room}: the media room to join and the call it carries.
 * {@code toString} does not show the token.
 */
public record RoomInvite(String room, String token, String url, String callId, String agentId,
                         String fromNumber, String toNumber, Map<String, Object> metadata) {

    public RoomInvite {
        requireNonNull(room, "room is null");
        requireNonNull(token, "token is null");
        requireNonNull(url, "url is null");
        requireNonNull(callId, "callId is null");
        requireNonNull(agentId, "agentId is null");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /**
     * Reads a {@code join_room} payload.
     *
     * @param fallbackUrl the media URL when the payload has none (the SDK uses the signaling URL)
     * @param ownAgentId the agent id when the payload has none
     * @throws IllegalArgumentException naming what is missing, when the invite must be ignored
     */
    public static RoomInvite fromPayload(JsonNode payload, String fallbackUrl, String ownAgentId) {
        if (!payload.isObject()) {
            throw new IllegalArgumentException("join_room payload is not a JSON object");
        }
        String room = text(payload, "room_name");
        String token = text(payload, "token");
        if (room == null || token == null) {
            throw new IllegalArgumentException("join_room without " + (room == null ? "room_name" : "token"));
        }
        String url = text(payload, "url");
        String callId = text(payload, "call_id");
        String agentId = text(payload, "agent_id");
        return new RoomInvite(room, token, url == null ? fallbackUrl : url, callId == null ? room : callId,
                agentId == null ? ownAgentId : agentId, text(payload, "from_number"), text(payload, "to_number"),
                Payloads.decodeMetadata(payload.get("metadata")));
    }

    /** The room name of a {@code cancel_room} payload, or {@code null} when it has none. */
    public static String roomToCancel(JsonNode payload) {
        return payload.isObject() ? text(payload, "room_name") : null;
    }

    public CallInfo callInfo() {
        return new CallInfo(callId, agentId, fromNumber, toNumber, url, token, room, metadata);
    }

    // ids may come as numbers from some producers; objects and arrays are not ids
    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    @Override
    public String toString() {
        return "RoomInvite[room=" + room + ", callId=" + callId + ", agentId=" + agentId + ", from=" + fromNumber
                + ", to=" + toNumber + ", url=" + url + ", token=" + Payloads.REDACTED + ", metadata keys="
                + metadata.keySet() + "]";
    }
}
