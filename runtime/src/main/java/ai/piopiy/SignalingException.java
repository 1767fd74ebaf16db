package ai.piopiy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** The {@link Agent} could not join the signaling server; {@link #reason()} says whether to retry or fix the credentials. */
public final class SignalingException extends IOException {

    public enum Reason {
        /** No Socket.IO connection could be made: wrong URL, server down, network, timeout. Worth retrying. */
        UNREACHABLE,
        /** The server answered and refused the agent id or token ({@code connect_error}). Retrying will not help. */
        REJECTED
    }

    private final Reason reason;

    public SignalingException(Reason reason, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}
