package ai.piopiy.plugin.livekit.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.ServerInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.ParticipantUpdate;
import livekit.LivekitRtc.Pong;
import livekit.LivekitRtc.ReconnectResponse;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.TrackPublishedResponse;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The part of a LiveKit server a call's signaling uses, on one 127.0.0.1 port (HTTP and WebSocket):
 * {@code /rtc/v1} answers 404 so clients fall back to v0, {@code /rtc} takes the JWT from the
 * {@code Authorization} header or {@code access_token}, refuses a bad one with 401 and the reason as text,
 * sends {@code join} first, answers pings, publishes tracks on {@code add_track}, tells the others about
 * joins, tracks and leaves with full {@code update}s, and resumes a dropped participant on
 * {@code reconnect=1&sid=...}. Every request a participant sends is kept for the tests to read.
 */
public final class TestRoomServer implements AutoCloseable {

    public static final String API_KEY = "APItestkey";
    public static final String API_SECRET = "test-secret-that-is-long-enough-for-hs256";

    /** One upgrade or validate request as it arrived. */
    public record Arrival(String path, Map<String, String> query, boolean bearer, String token, int status) {}

    private final MockWebServer server = new MockWebServer();
    /** With media, participants get WebRTC peers, tracks count as published when their audio arrives, and audio is relayed. */
    private final boolean media;
    private final Map<String, String> keys = Map.of(API_KEY, API_SECRET);
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private volatile int pingInterval = 5;
    private volatile int pingTimeout = 15;
    private volatile boolean resumeAllowed = true;

    /** A participant as the server sees it. */
    public final class Participant {
        public final String sid;
        public final String identity;
        final String room;
        public final BlockingQueue<SignalRequest> received = new LinkedBlockingQueue<>();
        final List<TrackInfo> tracks = new ArrayList<>();
        final Map<String, TrackInfo> pendingTracks = new LinkedHashMap<>();
        TestRoomPeer peer;
        ParticipantInfo.State state = ParticipantInfo.State.JOINING;
        int version;
        WebSocket socket;
        public volatile boolean answerPings = true;

        Participant(String sid, String identity, String room) {
            this.sid = sid;
            this.identity = identity;
            this.room = room;
        }

        ParticipantInfo info() {
            return ParticipantInfo.newBuilder().setSid(sid).setIdentity(identity).setName(identity).setState(state)
                    .setVersion(version).addAllTracks(tracks)
                    .setPermission(ParticipantPermission.newBuilder().setCanPublish(true).setCanSubscribe(true).setCanPublishData(true))
                    .build();
        }

        public void send(SignalResponse response) {
            WebSocket ws = socket;
            if (ws != null) {
                ws.send(ByteString.of(response.toByteArray()));
            }
        }

        /** The next request of the given kind this participant sent, skipping others (pings included). */
        public SignalRequest next(SignalRequest.MessageCase kind, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                SignalRequest r = received.poll(left, TimeUnit.NANOSECONDS);
                if (r != null && r.getMessageCase() == kind) {
                    return r;
                }
            }
            throw new AssertionError(identity + " sent no " + kind + " within " + timeoutMillis + " ms");
        }
    }

    public TestRoomServer() throws IOException {
        this(false);
    }

    public TestRoomServer(boolean media) throws IOException {
        this.media = media;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return route(request);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The room URL a signaling server would hand out. */
    public String url() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    public String token(String identity, String room) {
        return LiveKitJwt.create(API_KEY, API_SECRET, identity, room, java.time.Duration.ofMinutes(10));
    }

    public void pings(int intervalSeconds, int timeoutSeconds) {
        this.pingInterval = intervalSeconds;
        this.pingTimeout = timeoutSeconds;
    }

    /** With false, a participant that comes back with {@code reconnect=1} is told to rejoin ({@code leave RECONNECT}). */
    public void resumeAllowed(boolean allowed) {
        this.resumeAllowed = allowed;
    }

    public List<Arrival> arrivals() {
        return arrivals;
    }

    public synchronized Participant participant(String identity) {
        return participants.values().stream().filter(p -> p.identity.equals(identity)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no participant " + identity));
    }

    /** Waits until {@code identity} has joined and its socket is open. */
    public Participant awaitParticipant(String identity, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                for (Participant p : participants.values()) {
                    if (p.identity.equals(identity) && p.socket != null && p.state != ParticipantInfo.State.DISCONNECTED) {
                        return p;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(identity + " did not join within " + timeoutMillis + " ms");
    }

    /** A participant that joins by signaling alone (no media), as a caller whose phone leg is bridged in. */
    public synchronized Participant addSilentParticipant(String identity, String room, boolean withAudioTrack) {
        Participant p = new Participant("PA_" + identity + ids.incrementAndGet(), identity, room);
        p.state = ParticipantInfo.State.ACTIVE;
        p.version = 1;
        if (withAudioTrack) {
            p.tracks.add(audioTrack("mic"));
        }
        participants.put(p.sid, p);
        broadcast(p, SignalResponse.newBuilder().setUpdate(ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
        return p;
    }

    /** Ends a participant's session from the server side, as a participant leaving or a hang-up does. */
    public synchronized void disconnect(Participant p, DisconnectReason reason) {
        if (p.state == ParticipantInfo.State.DISCONNECTED) {
            return;
        }
        p.state = ParticipantInfo.State.DISCONNECTED;
        p.version++;
        ParticipantInfo gone = p.info().toBuilder().clearTracks().setDisconnectReason(reason).build();
        broadcast(p, SignalResponse.newBuilder().setUpdate(ParticipantUpdate.newBuilder().addParticipants(gone)).build());
        if (p.peer != null) {
            for (Participant other : participants.values()) {
                if (other.peer != null && other != p) {
                    p.tracks.forEach(t -> other.peer.unsubscribe(t.getSid()));
                }
            }
            TestRoomPeer peer = p.peer;
            p.peer = null;
            Thread.ofVirtual().start(peer::close);
        }
    }

    /** Deletes the room under a participant: {@code leave {ROOM_DELETED, DISCONNECT}} and the socket closed. */
    public void removeFromRoom(Participant p) {
        p.send(SignalResponse.newBuilder().setLeave(LeaveRequest.newBuilder()
                .setReason(DisconnectReason.ROOM_DELETED).setAction(LeaveRequest.Action.DISCONNECT)).build());
        WebSocket ws = p.socket;
        if (ws != null) {
            ws.close(1000, "room deleted");
        }
        disconnect(p, DisconnectReason.ROOM_DELETED);
    }

    /**
     * Closes a participant's socket without a leave, as a server node going away does (1001); the participant
     * stays in the room for a resume. (MockWebServer's server-side sockets cannot be cancelled; a silent link
     * is what {@link Participant#answerPings} false gives.)
     */
    public void dropSocket(Participant p) {
        WebSocket ws;
        synchronized (this) {
            ws = p.socket;
            p.socket = null;
        }
        if (ws != null) {
            ws.close(1001, "going away");
        }
    }

    /** Sends raw bytes to a participant (malformed frames). */
    public void sendRaw(Participant p, byte[] bytes) {
        p.socket.send(ByteString.of(bytes));
    }

    private static TrackInfo audioTrack(String name) {
        return TrackInfo.newBuilder().setSid("TR_AM" + Long.toHexString(System.nanoTime())).setType(TrackType.AUDIO)
                .setName(name).setSource(livekit.LivekitModels.TrackSource.MICROPHONE).setMimeType("audio/opus").build();
    }

    private void broadcast(Participant from, SignalResponse message) {
        for (Participant other : participants.values()) {
            if (other != from && other.room.equals(from.room) && other.state != ParticipantInfo.State.DISCONNECTED) {
                other.send(message);
            }
        }
    }

    /**
     * A participant's audio reached its publisher connection: the track is published, the others hear of it in
     * an update and get it on their subscriber connections. The track is matched by the client's track id (the
     * add_track cid), else it is the first pending one.
     */
    private synchronized void trackArrived(Participant p, String trackId) {
        TrackInfo track = p.pendingTracks.remove(trackId);
        if (track == null && !p.pendingTracks.isEmpty()) {
            track = p.pendingTracks.remove(p.pendingTracks.keySet().iterator().next());
        }
        if (track == null || p.peer == null) {
            return;
        }
        p.tracks.add(track);
        p.version++;
        broadcast(p, SignalResponse.newBuilder().setUpdate(ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
        for (Participant other : participants.values()) {
            if (other != p && other.peer != null && other.room.equals(p.room) && other.state != ParticipantInfo.State.DISCONNECTED) {
                p.peer.addInboundSink(other.peer.subscribe(p.sid, track.getSid()));
            }
        }
    }

    private MockResponse route(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        String path = url.encodedPath().replaceAll("/+", "/");
        Map<String, String> query = new LinkedHashMap<>();
        for (String name : url.queryParameterNames()) {
            query.put(name, url.queryParameter(name));
        }
        String authorization = request.getHeaders().get("Authorization");
        boolean bearer = authorization != null && authorization.startsWith("Bearer ");
        String token = bearer ? authorization.substring(7) : query.get("access_token");
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeaders().get("Upgrade"));
        MockResponse response = switch (path) {
            // the v1 (single peer connection) route is what a 404 makes clients give up for v0
            case "/rtc/v1" -> new MockResponse.Builder().code(404).body("404 page not found").build();
            case "/rtc/validate", "/rtc/v1/validate" -> {
                try {
                    LiveKitJwt.verify(token == null ? "" : token, keys);
                    yield new MockResponse.Builder().code(200).body("success").build();
                } catch (LiveKitJwt.RejectedException e) {
                    yield new MockResponse.Builder().code(401).body(e.getMessage()).build();
                }
            }
            case "/rtc" -> upgrade ? join(token, query) : new MockResponse.Builder().code(404).build();
            default -> new MockResponse.Builder().code(404).build();
        };
        arrivals.add(new Arrival(path, query, bearer, token, response.getCode()));
        return response;
    }

    private MockResponse join(String token, Map<String, String> query) {
        if (token == null) {
            return new MockResponse.Builder().code(401).body("no permissions to access the room").build();
        }
        LiveKitJwt.Grant grant;
        try {
            grant = LiveKitJwt.verify(token, keys);
        } catch (LiveKitJwt.RejectedException e) {
            return new MockResponse.Builder().code(401).body(e.getMessage()).build();
        }
        if ("1".equals(query.get("reconnect"))) {
            Participant p;
            synchronized (this) {
                p = participants.get(query.get("sid"));
            }
            if (p != null && p.identity.equals(grant.identity()) && p.state != ParticipantInfo.State.DISCONNECTED && resumeAllowed) {
                return new MockResponse.Builder().webSocketUpgrade(new Connection(p, true)).build();
            }
            return new MockResponse.Builder().webSocketUpgrade(new Refusal()).build();
        }
        Participant p;
        synchronized (this) {
            p = new Participant("PA_" + grant.identity() + ids.incrementAndGet(), grant.identity(), grant.room());
            participants.put(p.sid, p);
        }
        return new MockResponse.Builder().webSocketUpgrade(new Connection(p, false)).build();
    }

    /** A resume the server will not do: the client must rejoin from scratch. */
    private static final class Refusal extends WebSocketListener {
        @Override
        public void onOpen(WebSocket ws, okhttp3.Response response) {
            ws.send(ByteString.of(SignalResponse.newBuilder().setLeave(LeaveRequest.newBuilder()
                    .setReason(DisconnectReason.STATE_MISMATCH).setAction(LeaveRequest.Action.RECONNECT)).build().toByteArray()));
            ws.close(1000, "rejoin");
        }
    }

    private final class Connection extends WebSocketListener {
        private final Participant p;
        private final boolean resume;

        Connection(Participant p, boolean resume) {
            this.p = requireNonNull(p);
            this.resume = resume;
        }

        @Override
        public void onOpen(WebSocket ws, okhttp3.Response response) {
            synchronized (TestRoomServer.this) {
                p.socket = ws;
                if (resume) {
                    p.send(SignalResponse.newBuilder().setReconnect(ReconnectResponse.newBuilder()).build());
                    ParticipantUpdate.Builder all = ParticipantUpdate.newBuilder();
                    participants.values().stream().filter(o -> o != p && o.room.equals(p.room)).forEach(o -> all.addParticipants(o.info()));
                    p.send(SignalResponse.newBuilder().setUpdate(all).build());
                    return;
                }
                p.state = ParticipantInfo.State.JOINED;
                p.version = 1;
                JoinResponse.Builder join = JoinResponse.newBuilder()
                        .setRoom(Room.newBuilder().setSid("RM_" + p.room).setName(p.room))
                        .setParticipant(p.info())
                        .setServerVersion("1.9.0")
                        .setServerInfo(ServerInfo.newBuilder().setVersion("1.9.0").setProtocol(16))
                        .setPingInterval(pingInterval).setPingTimeout(pingTimeout)
                        .setFastPublish(true)
                        .setSubscriberPrimary(media);
                List<Participant> others = participants.values().stream()
                        .filter(o -> o != p && o.room.equals(p.room) && o.state != ParticipantInfo.State.DISCONNECTED).toList();
                others.forEach(o -> join.addOtherParticipants(o.info()));
                p.send(SignalResponse.newBuilder().setJoin(join).build());
                if (media) {
                    p.peer = new TestRoomPeer(p.identity, p::send, (trackId, audio) -> trackArrived(p, trackId));
                    boolean subscribed = false;
                    for (Participant o : others) {
                        if (o.peer != null) {
                            for (TrackInfo t : o.tracks) {
                                o.peer.addInboundSink(p.peer.subscribe(o.sid, t.getSid()));
                                subscribed = true;
                            }
                        }
                    }
                    if (!subscribed) {
                        p.peer.offerSubscriber(); // subscriber primary: the server offers at once
                    }
                }
                p.state = ParticipantInfo.State.ACTIVE;
                p.version++;
                broadcast(p, SignalResponse.newBuilder().setUpdate(ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
            }
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            SignalRequest request;
            try {
                request = SignalRequest.parseFrom(bytes.toByteArray());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                ws.close(1003, "not a SignalRequest");
                return;
            }
            p.received.add(request);
            switch (request.getMessageCase()) {
                case PING_REQ -> {
                    if (p.answerPings) {
                        p.send(SignalResponse.newBuilder().setPongResp(Pong.newBuilder()
                                .setLastPingTimestamp(request.getPingReq().getTimestamp()).setTimestamp(System.currentTimeMillis())).build());
                    }
                }
                case PING -> {
                    if (p.answerPings) {
                        p.send(SignalResponse.newBuilder().setPong(System.currentTimeMillis()).build());
                    }
                }
                case ADD_TRACK -> publish(request.getAddTrack());
                case OFFER -> withPeer(peer -> peer.onOffer(request.getOffer()));
                case ANSWER -> withPeer(peer -> peer.onAnswer(request.getAnswer()));
                case TRICKLE -> withPeer(peer -> peer.onTrickle(request.getTrickle()));
                case LEAVE -> {
                    disconnect(p, DisconnectReason.CLIENT_INITIATED);
                    ws.close(1000, "left");
                }
                default -> { } // offers, answers and trickles are kept in received for the tests
            }
        }

        private void withPeer(java.util.function.Consumer<TestRoomPeer> action) {
            TestRoomPeer peer = p.peer;
            if (peer != null) {
                action.accept(peer);
            }
        }

        private void publish(AddTrackRequest add) {
            TrackInfo track = audioTrack(add.getName()).toBuilder().setSource(add.getSource()).build();
            p.send(SignalResponse.newBuilder().setTrackPublished(TrackPublishedResponse.newBuilder().setCid(add.getCid()).setTrack(track)).build());
            synchronized (TestRoomServer.this) {
                if (media) {
                    p.pendingTracks.put(add.getCid(), track); // published once its audio arrives, as on a real server
                    return;
                }
                p.tracks.add(track);
                p.version++;
                broadcast(p, SignalResponse.newBuilder().setUpdate(ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
            }
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ws.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            gone(ws);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, okhttp3.Response response) {
            gone(ws);
        }

        /** A socket that goes without a leave keeps the participant for a resume; a leave already ended it. */
        private void gone(WebSocket ws) {
            synchronized (TestRoomServer.this) {
                if (p.socket == ws) {
                    p.socket = null;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        List<TestRoomPeer> peers;
        synchronized (this) {
            peers = participants.values().stream().map(p -> p.peer).filter(java.util.Objects::nonNull).toList();
            participants.values().forEach(p -> p.peer = null);
        }
        peers.forEach(TestRoomPeer::close);
    }
}
