package ai.piopiy;

import java.util.Map;

/**
 * What the {@link Agent} runs for each call the signaling server hands it (Python: the
 * {@code create_session} callback).
 *
 * <p>Each call runs on its own virtual thread, with the call's {@link CallContext} bound: the media
 * room's URL, token and name are readable anywhere in the call through {@link CallContext#require()}.
 * The method should return when the call is over. The call is cancelled by interrupting that thread
 * ({@code cancel_room} from the server, {@link Agent#shutdown()}, a missed accept deadline): blocking
 * calls then throw {@link InterruptedException}, which may simply propagate. An exception thrown here
 * is logged and ends only this call.
 */
@FunctionalInterface
public interface CreateSession {

    /**
     * Runs one call.
     *
     * @param agentId the agent the call is for (the server's {@code agent_id}, else this agent's id)
     * @param callId the platform's call id ({@code call_id}), or the room name when the server sent none
     * @param fromNumber the caller's number, or {@code null} when the server sent none
     * @param toNumber the number called, or {@code null} when the server sent none
     * @param metadata the call's metadata, decoded; empty when there is none; a value that is not a
     *     JSON object, even after decoding, is passed as {@code {"raw": value}}
     */
    void create(String agentId, String callId, String fromNumber, String toNumber, Map<String, Object> metadata)
            throws Exception;
}
