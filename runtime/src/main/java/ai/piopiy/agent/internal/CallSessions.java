package ai.piopiy.agent.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.CallContext;
import ai.piopiy.CreateSession;
import ai.piopiy.spi.transport.CallInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * The running calls, one per room, each on its own virtual thread with its {@link CallContext} bound.
 * Cancelling a call interrupts its thread; a call ends when {@link CreateSession#create} returns or throws.
 * A failing call is logged and touches no other call.
 */
public final class CallSessions {

    /** What became of an invite. */
    public enum Admission { STARTED, ROOM_BUSY, FULL, CLOSED }

    // the calls of every agent in this JVM, found through the CallContext of whichever thread accepts
    private static final Map<CallInfo, Session> BY_CALL = new ConcurrentHashMap<>();

    private final CreateSession createSession;
    private final int maxConcurrentCalls;
    private final Duration acceptTimeout;
    private final Logger log;
    private final Object lock = new Object();
    private final Map<String, Session> byRoom = new HashMap<>();
    private boolean closed;

    /**
     * @param acceptTimeout how long a call has to {@link #acceptCurrent() accept} before it is cancelled;
     *     {@code null} when calls need not accept
     */
    public CallSessions(CreateSession createSession, int maxConcurrentCalls, Duration acceptTimeout, Logger log) {
        this.createSession = requireNonNull(createSession, "createSession is null");
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1: " + maxConcurrentCalls);
        }
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.acceptTimeout = acceptTimeout;
        this.log = requireNonNull(log, "log is null");
    }

    /** Starts the call's session unless its room already has one, the limit is reached, or we are closing. */
    public Admission start(RoomInvite invite) {
        requireNonNull(invite, "invite is null");
        Session session;
        synchronized (lock) {
            if (closed) {
                return Admission.CLOSED;
            }
            if (byRoom.containsKey(invite.room())) {
                return Admission.ROOM_BUSY;
            }
            if (byRoom.size() >= maxConcurrentCalls) {
                return Admission.FULL;
            }
            session = new Session(invite);
            byRoom.put(invite.room(), session);
            BY_CALL.put(session.call, session);
            // started under the lock so that a cancel that finds the session always finds it started
            session.thread.start();
        }
        if (acceptTimeout != null) {
            session.accepted.orTimeout(acceptTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> {
                if (failure instanceof TimeoutException) {
                    log.warn("call {} (room {}) not accepted within {} ms: cancelled, the platform gives it to another worker",
                            invite.callId(), invite.room(), acceptTimeout.toMillis());
                    session.cancel();
                }
            });
        }
        return Admission.STARTED;
    }

    /**
     * Interrupts the room's session and waits up to {@code wait} for it to end.
     *
     * @return false when the room has no session
     */
    public boolean cancel(String room, Duration wait) throws InterruptedException {
        Session session;
        synchronized (lock) {
            session = byRoom.get(room);
        }
        if (session == null) {
            return false;
        }
        session.cancel();
        awaitEnd(session, System.nanoTime() + wait.toNanos(), wait);
        return true;
    }

    /** Refuses new calls, interrupts every running one and waits up to {@code wait} for all of them to end. */
    public void closeAndCancelAll(Duration wait) throws InterruptedException {
        List<Session> running;
        synchronized (lock) {
            closed = true;
            running = new ArrayList<>(byRoom.values());
        }
        running.forEach(Session::cancel);
        long deadline = System.nanoTime() + wait.toNanos();
        for (Session session : running) {
            awaitEnd(session, deadline, wait);
        }
    }

    public int running() {
        synchronized (lock) {
            return byRoom.size();
        }
    }

    /**
     * Accepts the call the current thread works for (any thread bound to its {@link CallContext}): its
     * media connection is up.
     *
     * @return false when there is no call here or it was already given up (accept deadline missed)
     */
    public static boolean acceptCurrent() {
        Session session = CallContext.current().map(context -> BY_CALL.get(context.call())).orElse(null);
        if (session == null) {
            return false;
        }
        session.accepted.complete(null);
        return !session.accepted.isCompletedExceptionally();
    }

    private void awaitEnd(Session session, long deadlineNanos, Duration wait) throws InterruptedException {
        if (!session.ended.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            log.warn("call {} (room {}) still running {} ms after it was cancelled; it ignores interruption",
                    session.invite.callId(), session.invite.room(), wait.toMillis());
        }
    }

    private void run(Session session) {
        RoomInvite invite = session.invite;
        try {
            new CallContext(session.call).runWith(() -> {
                createSession.create(invite.agentId(), invite.callId(), invite.fromNumber(), invite.toNumber(),
                        invite.metadata());
                return null;
            });
            log.info("call {} (room {}) ended", invite.callId(), invite.room());
        } catch (InterruptedException e) {
            log.info("call {} (room {}) cancelled", invite.callId(), invite.room());
        } catch (Exception e) {
            if (session.cancelled) {
                log.info("call {} (room {}) cancelled: {}", invite.callId(), invite.room(), e.toString());
            } else {
                log.warn("call {} (room {}) failed", invite.callId(), invite.room(), e);
            }
        } catch (Error e) {
            // an assertion or a stack overflow in one call's code ends that call only; its thread ends here anyway
            log.error("call {} (room {}) failed", invite.callId(), invite.room(), e);
        } finally {
            synchronized (lock) {
                byRoom.remove(invite.room(), session);
            }
            BY_CALL.remove(session.call, session);
            session.accepted.complete(null);
            session.ended.countDown();
        }
    }

    private final class Session {
        final RoomInvite invite;
        final CallInfo call;
        final Thread thread;
        final CompletableFuture<Void> accepted = new CompletableFuture<>();
        final CountDownLatch ended = new CountDownLatch(1);
        // set before the interrupt: user code may swallow the interrupt or wrap InterruptedException
        volatile boolean cancelled;

        Session(RoomInvite invite) {
            this.invite = invite;
            this.call = invite.callInfo();
            this.thread = Thread.ofVirtual().name("piopiy-call-" + invite.room()).unstarted(() -> run(this));
        }

        void cancel() {
            cancelled = true;
            thread.interrupt();
        }
    }
}
