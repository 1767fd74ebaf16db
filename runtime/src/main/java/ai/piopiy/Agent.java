package ai.piopiy;

import static java.util.Objects.requireNonNull;

import ai.piopiy.agent.internal.CallSessions;
import ai.piopiy.agent.internal.Payloads;
import ai.piopiy.agent.internal.RoomInvite;
import ai.piopiy.agent.internal.SignalingConnection;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes phone calls from Piopiy: joins the Piopiy signaling server as one agent and runs a
 * {@link CreateSession} for each call the server hands over (the Python SDK's {@code Agent}).
 *
 * <pre>{@code
 * new Agent(agentId, agentToken, (agent, callId, from, to, metadata) -> {
 *     CallContext call = CallContext.require();   // call.url(), call.token(), call.room()
 *     ...                                          // run the call; return when it is over
 * }, null, false).connect();                       // blocks until SIGINT/SIGTERM or shutdown()
 * }</pre>
 *
 * <p>The server sends {@code join_room} for a call: the agent runs the callback on its own virtual
 * thread, with the call's {@link CallContext} bound. {@code cancel_room} cancels that call (its thread
 * is interrupted) and waits for it to end. A dropped signaling connection is re-made with backoff and
 * does not touch the calls in progress. {@link #shutdown()} disconnects first (no new calls), then
 * cancels every call and waits for them.
 */
public final class Agent implements AutoCloseable {

    public static final String DEFAULT_SIGNALING_URL = "https://signaling.piopiy.com";

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private enum State { NEW, STARTING, RUNNING, STOPPING, TERMINATED }

    private final String agentId;
    private final String agentToken;
    private final String signalingUrl;
    private final boolean debug;
    private final Duration connectTimeout;
    private final Duration reconnectDelayMin;
    private final Duration reconnectDelayMax;
    private final Duration stopTimeout;
    private final CallSessions sessions;
    private final Object lifecycle = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private State state = State.NEW;
    private SignalingConnection connection;

    /**
     * An agent with the defaults of the Python SDK; {@link #builder} gives the other settings.
     *
     * @param signalingUrl the signaling server; {@code null} means {@value #DEFAULT_SIGNALING_URL}
     * @param debug log every call invite at INFO (room token and other secrets redacted)
     */
    public Agent(String agentId, String agentToken, CreateSession createSession, String signalingUrl, boolean debug) {
        this(builder(agentId, agentToken, createSession).signalingUrl(signalingUrl).debug(debug));
    }

    private Agent(Builder builder) {
        this.agentId = builder.agentId;
        this.agentToken = builder.agentToken;
        this.signalingUrl = builder.signalingUrl;
        this.debug = builder.debug;
        this.connectTimeout = builder.connectTimeout;
        this.reconnectDelayMin = builder.reconnectDelayMin;
        this.reconnectDelayMax = builder.reconnectDelayMax;
        this.stopTimeout = builder.stopTimeout;
        this.sessions = new CallSessions(builder.createSession, builder.maxConcurrentCalls, builder.acceptTimeout, log);
    }

    public static Builder builder(String agentId, String agentToken, CreateSession createSession) {
        return new Builder(agentId, agentToken, createSession);
    }

    /**
     * Joins the signaling server and takes calls until {@link #shutdown()}, SIGINT or SIGTERM (Python:
     * {@code await agent.connect()}). Meant as a program's main loop: it installs a JVM shutdown hook
     * that shuts the agent down, and shuts it down too when the calling thread is interrupted.
     *
     * @throws SignalingException when the first connection fails: server unreachable, or agent id/token rejected
     */
    public void connect() throws SignalingException, InterruptedException {
        start();
        serveUntilShutdown();
    }

    /**
     * After {@link #start()}: blocks while the agent takes calls, until {@link #shutdown()}, SIGINT or
     * SIGTERM (a JVM shutdown hook shuts it down); interrupting the calling thread shuts it down too.
     * {@link #connect()} is {@code start()} then this; a host that wants to act between the two (say,
     * report that it is ready) calls them itself.
     */
    public void serveUntilShutdown() throws InterruptedException {
        synchronized (lifecycle) {
            if (state == State.NEW) {
                throw new IllegalStateException("start() the agent first");
            }
        }
        Thread hook = Thread.ofPlatform().name("piopiy-agent-shutdown").unstarted(this::shutdown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            terminated.await();
        } catch (InterruptedException e) {
            shutdown();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is what ended the wait
            }
        }
    }

    /**
     * Joins the signaling server and returns once the server accepted the agent; calls then arrive on
     * their own threads. For embedding the agent in an application that has its own main loop.
     *
     * @throws SignalingException when the connection fails: server unreachable, or agent id/token rejected
     * @throws IllegalStateException when the agent was started before
     */
    public void start() throws SignalingException, InterruptedException {
        SignalingConnection starting;
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("the agent was started before; make a new Agent");
            }
            state = State.STARTING;
            starting = new SignalingConnection(signalingUrl, agentId, agentToken, connectTimeout, reconnectDelayMin,
                    reconnectDelayMax, this::onJoinRoom, this::onCancelRoom, log);
            connection = starting;
        }
        try {
            starting.open();
        } catch (SignalingException | InterruptedException | RuntimeException e) {
            shutdown();
            throw e;
        }
        synchronized (lifecycle) {
            if (state == State.STARTING) {
                state = State.RUNNING;
            }
        }
    }

    /**
     * Disconnects from the signaling server (no new calls), then cancels every call in progress and
     * waits for them to end (at most the builder's stop timeout). Idempotent; a second caller waits for
     * the first one to finish.
     */
    public void shutdown() {
        boolean owner;
        SignalingConnection closing;
        synchronized (lifecycle) {
            // the caller that moves the agent to STOPPING does the work; later callers wait for it
            owner = state != State.STOPPING && state != State.TERMINATED;
            if (owner) {
                state = State.STOPPING;
            }
            closing = connection;
        }
        if (!owner) {
            awaitTermination();
            return;
        }
        try {
            if (closing != null) {
                closing.close();
            }
            int running = sessions.running();
            if (running > 0) {
                log.info("cancelling {} call(s) in progress", running);
            }
            sessions.closeAndCancelAll(stopTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (lifecycle) {
                state = State.TERMINATED;
            }
            terminated.countDown();
            log.info("agent {} stopped", agentId);
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** Whether the signaling connection is up right now (it may be reconnecting). */
    public boolean isConnected() {
        SignalingConnection current;
        synchronized (lifecycle) {
            current = state == State.RUNNING ? connection : null;
        }
        return current != null && current.connected();
    }

    /** The number of calls whose session is running, cancelled ones included until they end. */
    public int activeCalls() {
        return sessions.running();
    }

    public String agentId() {
        return agentId;
    }

    public String signalingUrl() {
        return signalingUrl;
    }

    /**
     * Tells the agent that the call the current thread works for is connected to its media room. With
     * an {@linkplain Builder#acceptTimeout accept timeout}, a call that does not accept in time is
     * cancelled, because the platform has given it to another worker by then.
     *
     * @return false when this thread works for no call, or the call missed its deadline
     */
    public static boolean acceptCall() {
        return CallSessions.acceptCurrent();
    }

    private void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // on socket.io-client's event thread: must not block
    private void onJoinRoom(Object argument) {
        JsonNode payload = Payloads.read(argument);
        RoomInvite invite;
        try {
            invite = RoomInvite.fromPayload(payload, signalingUrl, agentId);
        } catch (IllegalArgumentException e) {
            log.warn("ignored an invite: {}: {}", e.getMessage(),
                    Payloads.redacted(payload, Payloads.decodeMetadata(payload.get("metadata"))));
            return;
        }
        if (debug) {
            log.info("join_room {}", Payloads.redacted(payload, invite.metadata()));
        } else if (log.isDebugEnabled()) {
            log.debug("join_room {}", Payloads.redacted(payload, invite.metadata()));
        }
        switch (sessions.start(invite)) {
            case STARTED -> log.info("call {} started (room {}, from {} to {})", invite.callId(), invite.room(),
                    invite.fromNumber(), invite.toNumber());
            case ROOM_BUSY -> log.warn("ignored join_room for room {} (call {}): a session for that room is still running",
                    invite.room(), invite.callId());
            case FULL -> log.warn("declined call {} (room {}): {} calls are running, the most this agent takes",
                    invite.callId(), invite.room(), sessions.running());
            case CLOSED -> log.info("declined call {} (room {}): the agent is shutting down", invite.callId(), invite.room());
        }
    }

    // on socket.io-client's event thread: the wait for the cancelled call happens elsewhere
    private void onCancelRoom(Object argument) {
        String room = RoomInvite.roomToCancel(Payloads.read(argument));
        if (room == null) {
            log.warn("ignored cancel_room without room_name");
            return;
        }
        log.info("cancel_room for room {}", room);
        Thread.ofVirtual().name("piopiy-cancel-" + room).start(() -> {
            try {
                if (!sessions.cancel(room, stopTimeout)) {
                    log.info("cancel_room for room {}: no call running there", room);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public String toString() {
        return "Agent[" + agentId + " at " + signalingUrl + "]";
    }

    /** The agent's settings; the defaults are those of the Python SDK where it has the setting. */
    public static final class Builder {
        private final String agentId;
        private final String agentToken;
        private final CreateSession createSession;
        private String signalingUrl = DEFAULT_SIGNALING_URL;
        private boolean debug;
        private int maxConcurrentCalls = Integer.MAX_VALUE;
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration reconnectDelayMin = Duration.ofSeconds(1);
        private Duration reconnectDelayMax = Duration.ofSeconds(5);
        private Duration acceptTimeout;
        private Duration stopTimeout = Duration.ofSeconds(30);

        private Builder(String agentId, String agentToken, CreateSession createSession) {
            this.agentId = requireNonNull(agentId, "agentId is null");
            this.agentToken = requireNonNull(agentToken, "agentToken is null");
            this.createSession = requireNonNull(createSession, "createSession is null");
            if (agentId.isBlank()) {
                throw new IllegalArgumentException("agentId is blank");
            }
            if (agentToken.isBlank()) {
                throw new IllegalArgumentException("agentToken is blank");
            }
        }

        /** The signaling server, an http(s) URL; {@code null} means {@value #DEFAULT_SIGNALING_URL}. */
        public Builder signalingUrl(String signalingUrl) {
            if (signalingUrl == null) {
                this.signalingUrl = DEFAULT_SIGNALING_URL;
                return this;
            }
            URI uri;
            try {
                uri = URI.create(signalingUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signalingUrl is not a URL: " + signalingUrl, e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("signalingUrl must be an http or https URL: " + signalingUrl);
            }
            this.signalingUrl = signalingUrl;
            return this;
        }

        /** Log every call invite at INFO, with the room token and other secrets redacted (default false). */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** The most calls run at once; further invites are declined with a warning (default: no limit). */
        public Builder maxConcurrentCalls(int maxConcurrentCalls) {
            if (maxConcurrentCalls < 1) {
                throw new IllegalArgumentException("maxConcurrentCalls must be at least 1: " + maxConcurrentCalls);
            }
            this.maxConcurrentCalls = maxConcurrentCalls;
            return this;
        }

        /** How long a connection attempt may take (default 20 s, socket.io's). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * The wait before reconnecting after the signaling connection dropped: {@code min} at first,
         * doubling (with jitter) up to {@code max} (default 1 s to 5 s, socket.io's).
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            positive(min, "min");
            positive(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnect delay max " + max + " is below min " + min);
            }
            this.reconnectDelayMin = min;
            this.reconnectDelayMax = max;
            return this;
        }

        /**
         * How long a call has, from its invite, to call {@link Agent#acceptCall()}; a call that has not
         * accepted by then is cancelled. {@code null} (the default) means calls need not accept.
         */
        public Builder acceptTimeout(Duration acceptTimeout) {
            this.acceptTimeout = acceptTimeout == null ? null : positive(acceptTimeout, "acceptTimeout");
            return this;
        }

        /** How long {@code cancel_room} and {@link Agent#shutdown()} wait for a cancelled call to end (default 30 s). */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = positive(stopTimeout, "stopTimeout");
            return this;
        }

        public Agent build() {
            return new Agent(this);
        }

        private static Duration positive(Duration duration, String name) {
            requireNonNull(duration, name + " is null");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
