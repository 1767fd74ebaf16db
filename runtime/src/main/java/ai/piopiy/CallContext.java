package ai.piopiy;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.transport.CallInfo;
import java.util.Map;
import java.util.Optional;

/**
 * The call a piece of code runs for, readable from anywhere in that call: in the session callback,
 * in tool handlers, in the pipeline's processors. It is what the Python SDK exposes as
 * {@code URL_CTX}, {@code TOKEN_CTX} and {@code ROOM_CTX}.
 *
 * <p>Bound with a {@link ScopedValue} by whoever starts a call's work ({@link #runWith}); threads the
 * runtime starts for a call (tool handlers, the pipeline's own work) are bound to the same context.
 */
public record CallContext(CallInfo call) {

    private static final ScopedValue<CallContext> CURRENT = ScopedValue.newInstance();

    public CallContext {
        requireNonNull(call, "call is null");
    }

    /** The context of the call this thread works for, if any. */
    public static Optional<CallContext> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** The context of the call this thread works for. */
    public static CallContext require() {
        if (!CURRENT.isBound()) {
            throw new IllegalStateException("no call context: this code does not run inside a call session");
        }
        return CURRENT.get();
    }

    /** True when this context is the one bound on the current thread. */
    public boolean isCurrent() {
        return CURRENT.isBound() && CURRENT.get() == this;
    }

    /** Runs {@code body} with this context bound; it (and what it starts through the runtime) sees it. */
    public <X extends Throwable> void runWith(ScopedValue.CallableOp<Void, X> body) throws X {
        ScopedValue.where(CURRENT, this).call(body);
    }

    public void runWith(Runnable body) {
        ScopedValue.where(CURRENT, this).run(body);
    }

    /** The media server URL of the call's room (Python: {@code URL_CTX.get()}). */
    public String url() {
        return call.url();
    }

    /** The access token of the call's room (Python: {@code TOKEN_CTX.get()}). Never log it. */
    public String token() {
        return call.token();
    }

    /** The call's room name (Python: {@code ROOM_CTX.get()}). */
    public String room() {
        return call.room();
    }

    public String callId() {
        return call.callId();
    }

    public Map<String, Object> metadata() {
        return call.metadata();
    }

    @Override
    public String toString() {
        return "CallContext[" + call + "]";
    }
}
