package ai.piopiy.plugin.livekit.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.livekit.LiveKitConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStream;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.ICEServer;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.ReconnectResponse;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SignalTarget;
import livekit.LivekitRtc.SyncState;
import livekit.LivekitRtc.TrickleRequest;
import livekit.LivekitRtc.UpdateSubscription;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;

/**
 * One call's LiveKit room, joined as the agent: a subscriber peer connection the server offers (the caller's
 * audio arrives there) and a publisher peer connection this side offers (the agent's voice), both on one
 * headless WebRTC audio module and factory of the call's own.
 *
 * <p>Signaling messages and WebRTC set-up run on the call's lane, one virtual thread, so offer/answer steps
 * never overlap and never run on WebRTC's own threads (whose callbacks they wait for). Caller audio comes from
 * WebRTC's playout thread as 48 kHz 10 ms frames and is resampled to the input rate there. Presence events
 * wait for {@link #start} if they come before it.
 */
public final class LiveKitCall implements CallTransport, SignalClient.Listener {

    private static final int ROOM_RATE = 48_000;
    private static final int FRAME_BYTES = ROOM_RATE / 100 * 2;
    private static final long SILENCE_AFTER_NANOS = 60_000_000L;
    /** Announced to the server as the client's version ({@code version=} on the join URL). */
    private static final String CLIENT_VERSION = "0.1.0";

    private final LiveKitConfig config;
    private final Logger log;
    private final String callId;
    private final AudioFormat input;
    private final AudioFormat output;
    private final ExecutorService lane;
    private final SignalClient signal;
    private final HeadlessAudioDeviceModule audioModule;
    private final PeerConnectionFactory factory;
    private final CustomAudioSource source;
    private final AudioTrack localTrack;
    private final CompletableFuture<TrackInfo> published = new CompletableFuture<>();
    private final CompletableFuture<Void> primaryConnected = new CompletableFuture<>();
    private final Map<String, ParticipantInfo> remote = new HashMap<>();
    private final List<RTCIceCandidate> pendingPublisherCandidates = new ArrayList<>();
    private final List<RTCIceCandidate> pendingSubscriberCandidates = new ArrayList<>();
    private final Object deliveryLock = new Object();
    private final Object outputLock = new Object();
    private final List<Consumer<TransportListener>> early = new ArrayList<>();
    private final InboundSink inbound = new InboundSink();
    private final ScheduledExecutorService scheduler;
    private final MetricsSink metrics;
    private final long setUpNanos;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Thread laneThread;

    // lane-confined
    private String ownSid;
    private volatile boolean subscriberPrimary;
    private RTCPeerConnection publisher;
    private RTCPeerConnection subscriber;
    private RTCRtpSender sender;
    private AudioTrack inboundTrack;
    private String callerSid;
    private String callerIdentity;
    private int publisherOfferId;
    private SessionDescription lastSubscriberAnswer = SessionDescription.getDefaultInstance();
    private SessionDescription lastPublisherOffer = SessionDescription.getDefaultInstance();

    // guarded by deliveryLock
    private TransportListener listener;
    private boolean ended;

    // guarded by outputLock
    private final Resampler outputResampler;
    private final byte[] outFrame = new byte[FRAME_BYTES];
    private int outFill;
    private boolean publisherUp;
    private boolean closed;
    private long lastWriteNanos;
    private final byte[] silence = new byte[FRAME_BYTES];
    private ScheduledFuture<?> silenceFiller;

    private LiveKitCall(OkHttpClient http, LiveKitConfig config, ProviderContext context, CallInfo call) {
        this.config = config;
        this.log = context.logger();
        this.callId = call.callId();
        this.input = AudioFormat.pcm16(config.inputRate());
        this.output = AudioFormat.pcm16(config.outputRate());
        this.outputResampler = new Resampler(config.outputRate(), ROOM_RATE);
        this.scheduler = context.scheduler();
        this.metrics = context.metrics();
        ThreadFactory threads = Thread.ofVirtual().name("livekit-" + callId).factory();
        this.lane = Executors.newSingleThreadExecutor(task -> {
            Thread t = threads.newThread(task);
            laneThread = t;
            return t;
        });
        this.signal = new SignalClient(http, call.url(), call.token(), context.scheduler(),
                new SignalClient.Options(config.joinTimeout(), config.reconnectTimeout(), CLIENT_VERSION), this, log, callId);
        // one audio module and factory per call: the headless module's recording thread and a custom source's
        // pushes must not meet, and a module shared between calls would make them meet
        this.audioModule = new HeadlessAudioDeviceModule();
        this.factory = new PeerConnectionFactory(audioModule);
        // playout must be started after the factory took the module, or no remote audio is ever decoded
        audioModule.initPlayout();
        audioModule.startPlayout();
        this.source = new CustomAudioSource();
        this.localTrack = factory.createAudioTrack("agent-" + UUID.randomUUID(), source);
        this.setUpNanos = System.nanoTime();
    }

    /** Joins the call's room; returns once the agent's track is published and the primary peer connection is up. */
    public static LiveKitCall open(OkHttpClient http, LiveKitConfig config, ProviderContext context, CallInfo call) {
        requireNonNull(call, "call is null");
        long start = System.nanoTime();
        LiveKitCall c;
        try {
            c = new LiveKitCall(http, config, context, call);
        } catch (LinkageError e) {
            throw new ServiceException("livekit", "WebRTC's native library did not load (" + e.getMessage()
                    + "); on Debian it needs libpulse0 (apt-get install libpulse0)", true, e);
        }
        try {
            c.join(start);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void join(long startNanos) {
        long deadline = startNanos + config.joinTimeout().toNanos();
        signal.connect();
        long joinedNanos = System.nanoTime();
        await(published, deadline, "the server did not confirm the agent's track");
        onLane(this::publishTrack);
        await(primaryConnected, deadline, (subscriberPrimary ? "the subscriber" : "the publisher")
                + " peer connection did not connect (ICE/DTLS)");
        long now = System.nanoTime();
        // the join is the transport's one unit of work before the call can start: how long the caller waits for it
        metrics.record(new Metric.ProcessingTime("livekit", now - startNanos));
        log.info("[{}] livekit: joined the room as {} with track {} in {} ms (WebRTC set-up {} ms, join response {} ms, "
                        + "track and connection {} ms)", callId, ownSid, published.join().getSid(), (now - startNanos) / 1_000_000,
                (setUpNanos - startNanos) / 1_000_000, (joinedNanos - setUpNanos) / 1_000_000, (now - joinedNanos) / 1_000_000);
    }

    private void await(CompletableFuture<?> future, long deadline, String what) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ServiceException("livekit", "could not join the room within " + config.joinTimeout().toMillis()
                    + " ms: " + what, true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceException se) {
                throw se;
            }
            throw new ServiceException("livekit", "could not join the room: " + e.getCause().getMessage(), true, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("livekit", "interrupted while joining the room", true, e);
        }
    }

    private void onLane(Runnable task) {
        try {
            lane.submit(task).get(config.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ServiceException("livekit", "room set-up failed: " + e.getCause(), true, e.getCause());
        } catch (TimeoutException e) {
            throw new ServiceException("livekit", "room set-up took longer than " + config.joinTimeout().toMillis() + " ms", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("livekit", "interrupted while setting up the room", true, e);
        }
    }

    /** Runs a task on the lane; after close there is no lane and nothing left to do. */
    private void post(Runnable task) {
        try {
            lane.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
            log.debug("[{}] livekit: a late event after close was dropped", callId);
        }
    }

    // ---- signaling (reader thread) -> lane

    @Override
    public void onJoined(JoinResponse join) {
        post(() -> {
            try {
                setUp(join);
            } catch (RuntimeException e) {
                published.completeExceptionally(new ServiceException("livekit",
                        "could not set up the peer connections: " + e.getMessage(), true, e));
            }
        });
    }

    @Override
    public void onMessage(SignalResponse message) {
        post(() -> {
            try {
                handle(message);
            } catch (RuntimeException e) {
                // one bad message (an SDP WebRTC refuses, a malformed candidate) is reported, not fatal by itself
                log.warn("[{}] livekit: could not handle {}: {}", callId, message.getMessageCase(), e.getMessage());
            }
        });
    }

    @Override
    public void onResumed(ReconnectResponse reconnect) {
        post(this::resumeMedia);
    }

    @Override
    public void onLost(String reason) {
        primaryConnected.completeExceptionally(new ServiceException("livekit", reason, true, null));
        published.completeExceptionally(new ServiceException("livekit", reason, true, null));
        end(l -> l.onError("the room connection was lost: " + reason, null, true));
    }

    // ---- lane

    private void setUp(JoinResponse join) {
        ownSid = join.getParticipant().getSid();
        subscriberPrimary = join.getSubscriberPrimary();
        RTCConfiguration rtc = new RTCConfiguration();
        rtc.iceServers = new ArrayList<>();
        rtc.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        rtc.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        for (ICEServer s : join.getIceServersList()) {
            RTCIceServer server = new RTCIceServer();
            server.urls = List.copyOf(s.getUrlsList());
            server.username = s.getUsername();
            server.password = s.getCredential();
            rtc.iceServers.add(server);
        }
        publisher = factory.createPeerConnection(rtc, new Observer(SignalTarget.PUBLISHER));
        subscriber = factory.createPeerConnection(rtc, new Observer(SignalTarget.SUBSCRIBER));
        participants(join.getOtherParticipantsList());
        signal.send(SignalRequest.newBuilder().setAddTrack(AddTrackRequest.newBuilder()
                .setCid(localTrack.getId()).setName(config.trackName())
                .setType(TrackType.AUDIO).setSource(TrackSource.MICROPHONE)).build());
    }

    private void publishTrack() {
        sender = publisher.addTrack(localTrack, List.of(ownSid + "|" + localTrack.getId()));
        negotiatePublisher(false);
    }

    private void negotiatePublisher(boolean iceRestart) {
        RTCSessionDescription offer = Sdp.createOffer(publisher, iceRestart);
        Sdp.setLocal(publisher, offer);
        lastPublisherOffer = Sdp.toSignal(offer, ++publisherOfferId);
        signal.send(SignalRequest.newBuilder().setOffer(lastPublisherOffer).build());
    }

    private void handle(SignalResponse message) {
        switch (message.getMessageCase()) {
            case OFFER -> answerSubscriber(message.getOffer());
            case ANSWER -> {
                Sdp.setRemote(publisher, Sdp.fromSignal(message.getAnswer()));
                flush(publisher, pendingPublisherCandidates);
            }
            case TRICKLE -> trickle(message.getTrickle());
            case UPDATE -> participants(message.getUpdate().getParticipantsList());
            case TRACK_PUBLISHED -> {
                if (message.getTrackPublished().getCid().equals(localTrack.getId())) {
                    published.complete(message.getTrackPublished().getTrack());
                }
            }
            case LEAVE -> {
                LeaveRequest leave = message.getLeave();
                String who = callerIdentity == null ? "" : callerIdentity;
                end(l -> l.onCallerLeft(who, "the room ended the agent's session (" + leave.getReason() + ")"));
            }
            case REQUEST_RESPONSE -> log.warn("[{}] livekit: the server refused a request: {} {}", callId,
                    message.getRequestResponse().getReason(), message.getRequestResponse().getMessage());
            default -> { } // speakers, quality, room and subscription updates do not change a phone call
        }
    }

    private void answerSubscriber(SessionDescription offer) {
        Sdp.setRemote(subscriber, Sdp.fromSignal(offer));
        flush(subscriber, pendingSubscriberCandidates);
        RTCSessionDescription answer = Sdp.createAnswer(subscriber);
        Sdp.setLocal(subscriber, answer);
        lastSubscriberAnswer = Sdp.toSignal(answer, offer.getId());
        signal.send(SignalRequest.newBuilder().setAnswer(lastSubscriberAnswer).build());
    }

    private void trickle(TrickleRequest trickle) {
        if (trickle.getCandidateInit().isEmpty()) {
            return;
        }
        RTCIceCandidate candidate = Sdp.candidate(trickle.getCandidateInit());
        boolean toPublisher = trickle.getTarget() == SignalTarget.PUBLISHER;
        RTCPeerConnection pc = toPublisher ? publisher : subscriber;
        if (pc.getRemoteDescription() == null) {
            // WebRTC refuses candidates before the remote description; they are added once it is set
            (toPublisher ? pendingPublisherCandidates : pendingSubscriberCandidates).add(candidate);
        } else {
            pc.addIceCandidate(candidate);
        }
    }

    private static void flush(RTCPeerConnection pc, List<RTCIceCandidate> pending) {
        for (RTCIceCandidate c : pending) {
            pc.addIceCandidate(c);
        }
        pending.clear();
    }

    /** Full snapshots of participants: the first one that is not an agent (or a recorder) is the caller; its leaving ends the call. */
    private void participants(List<ParticipantInfo> infos) {
        for (ParticipantInfo info : infos) {
            if (info.getSid().equals(ownSid)) {
                continue;
            }
            if (info.getState() == ParticipantInfo.State.DISCONNECTED) {
                remote.remove(info.getSid());
                if (info.getSid().equals(callerSid)) {
                    String identity = info.getIdentity();
                    end(l -> l.onCallerLeft(identity, "left the room (" + info.getDisconnectReason() + ")"));
                }
                continue;
            }
            ParticipantInfo known = remote.get(info.getSid());
            if (known != null && known.getVersion() > info.getVersion()) {
                continue; // an older snapshot overtaken by a newer one
            }
            remote.put(info.getSid(), info);
            // other agents and recorders are in the room too, but they are not the caller
            if (callerSid == null && info.getKind() != ParticipantInfo.Kind.AGENT && info.getKind() != ParticipantInfo.Kind.EGRESS) {
                callerSid = info.getSid();
                callerIdentity = info.getIdentity();
                log.info("[{}] livekit: caller {} is in the room", callId, callerIdentity);
                String identity = info.getIdentity();
                deliver(l -> l.onCallerJoined(identity));
            }
        }
    }

    /** The signaling link came back on a new socket: tell the server what this side has, then restart ICE. */
    private void resumeMedia() {
        if (publisher == null) {
            return;
        }
        UpdateSubscription.Builder subscription = UpdateSubscription.newBuilder().setSubscribe(true);
        for (ParticipantInfo p : remote.values()) {
            p.getTracksList().forEach(t -> subscription.addTrackSids(t.getSid()));
        }
        SyncState.Builder sync = SyncState.newBuilder().setAnswer(lastSubscriberAnswer).setOffer(lastPublisherOffer)
                .setSubscription(subscription);
        if (published.isDone() && !published.isCompletedExceptionally()) {
            sync.addPublishTracks(livekit.LivekitRtc.TrackPublishedResponse.newBuilder()
                    .setCid(localTrack.getId()).setTrack(published.join()));
        }
        signal.send(SignalRequest.newBuilder().setSyncState(sync).build());
        if (sender != null) {
            negotiatePublisher(true);
        }
    }

    /** @param participant the publisher's sid, from the stream id LiveKit packs as {@code <participant sid>|<track sid>} */
    private void attachInbound(AudioTrack audio, String participant) {
        if (inboundTrack != null) {
            log.debug("[{}] livekit: ignored a further audio track from {} (a call has one caller track)", callId, participant);
            return;
        }
        if (callerSid != null && !participant.isEmpty() && !participant.equals(callerSid)) {
            log.debug("[{}] livekit: ignored audio from {}, who is not the caller", callId, participant);
            return;
        }
        inboundTrack = audio;
        audio.addSink(inbound);
        log.info("[{}] livekit: receiving the caller's audio ({})", callId, audio.getId());
    }

    private void detachInbound(String trackId) {
        if (inboundTrack != null && inboundTrack.getId().equals(trackId)) {
            inboundTrack.removeSink(inbound);
            inboundTrack = null;
        }
    }

    // ---- the pipeline's side

    @Override
    public AudioFormat inputFormat() {
        return input;
    }

    @Override
    public AudioFormat outputFormat() {
        return output;
    }

    @Override
    public void start(TransportListener listener) {
        requireNonNull(listener, "listener is null");
        synchronized (deliveryLock) {
            if (this.listener != null) {
                throw new IllegalStateException("start was already called");
            }
            this.listener = listener;
            for (Consumer<TransportListener> event : early) {
                event.accept(listener);
            }
            early.clear();
        }
    }

    private void deliver(Consumer<TransportListener> event) {
        deliver(event, false);
    }

    /** Caller audio, 100 times a second: straight to the listener, no event object; dropped before start and after the end. */
    private void deliverAudio(byte[] pcm) {
        synchronized (deliveryLock) {
            if (listener != null && !ended) {
                listener.onAudio(pcm);
            }
        }
    }

    /** The last event of the call: nothing is delivered after it. */
    private void end(Consumer<TransportListener> event) {
        deliver(event, true);
    }

    private void deliver(Consumer<TransportListener> event, boolean last) {
        synchronized (deliveryLock) {
            if (ended) {
                return;
            }
            if (listener == null) {
                early.add(event);
            } else {
                event.accept(listener);
            }
            ended = last;
        }
    }

    @Override
    public void writeAudio(byte[] pcm, int offset, int length) {
        synchronized (outputLock) {
            if (closed || !publisherUp) {
                return; // nobody can hear it yet (or any more)
            }
            lastWriteNanos = System.nanoTime();
            byte[] up = outputResampler.process(pcm, offset, length);
            int i = 0;
            while (i < up.length) {
                int n = Math.min(FRAME_BYTES - outFill, up.length - i);
                System.arraycopy(up, i, outFrame, outFill, n);
                outFill += n;
                i += n;
                if (outFill == FRAME_BYTES) {
                    // WebRTC starts the module's recording thread whenever a send stream starts (the first
                    // negotiation, an ICE restart); that thread feeds the same send stream as the pushes and two
                    // feeders at once abort the process (race_checker in audio_send_stream.cc). Stopping it here
                    // costs a JNI call when it is already stopped.
                    push(outFrame);
                    outFill = 0;
                }
            }
        }
    }

    /** Called with outputLock held. */
    private void push(byte[] frame) {
        audioModule.stopRecording();
        source.pushAudio(frame, 16, ROOM_RATE, 1, FRAME_BYTES / 2);
    }

    /**
     * Between the bot's utterances nothing is written; a phone line still carries sound, and a receiver whose
     * packets stop conceals the gap by stretching the last syllable. So when nothing was written for a while the
     * line carries silence, 20 ms per 20 ms, as a microphone would.
     */
    private void fillSilence() {
        synchronized (outputLock) {
            if (closed || !publisherUp || System.nanoTime() - lastWriteNanos < SILENCE_AFTER_NANOS) {
                return;
            }
            outFill = 0;
            push(silence);
            push(silence);
        }
    }

    @Override
    public void clearOutput() {
        synchronized (outputLock) {
            outFill = 0;
        }
    }

    private void publisherConnected() {
        synchronized (outputLock) {
            if (!publisherUp && !closed) {
                publisherUp = true;
                silenceFiller = scheduler.scheduleAtFixedRate(this::fillSilence, 20, 20, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        synchronized (deliveryLock) {
            ended = true;
        }
        signal.close();
        synchronized (outputLock) {
            closed = true;
            if (silenceFiller != null) {
                silenceFiller.cancel(false);
            }
        }
        if (Thread.currentThread() == laneThread) {
            // closed from a listener callback on the lane: waiting for the lane here would wait for ourselves
            dispose();
            lane.shutdown();
            return;
        }
        try {
            lane.submit(this::dispose).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("[{}] livekit: releasing the call's WebRTC objects failed: {}", callId, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lane.shutdown();
    }

    /** In the order that lets the native side go without hanging the JVM on exit. */
    private void dispose() {
        if (inboundTrack != null) {
            inboundTrack.removeSink(inbound);
            inboundTrack = null;
        }
        if (sender != null) {
            publisher.removeTrack(sender);
            sender = null;
        }
        if (publisher != null) {
            publisher.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
        localTrack.dispose();
        source.dispose();
        audioModule.stopPlayout();
        factory.dispose();
        audioModule.dispose();
    }

    /** Caller audio from WebRTC's playout thread: mono, resampled to the pipeline's rate, handed over. */
    private final class InboundSink implements AudioTrackSink {
        private Resampler resampler;
        private byte[] mono = new byte[0];

        @Override
        public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
            if (bitsPerSample != 16 || frames <= 0) {
                return;
            }
            if (resampler == null || resampler.inputRate() != sampleRate) {
                resampler = new Resampler(sampleRate, config.inputRate());
            }
            byte[] pcm = data;
            if (channels > 1) {
                if (mono.length < frames * 2) {
                    mono = new byte[frames * 2];
                }
                for (int f = 0; f < frames; f++) {
                    int sum = 0;
                    for (int ch = 0; ch < channels; ch++) {
                        int i = (f * channels + ch) * 2;
                        sum += (short) ((data[i] & 0xff) | (data[i + 1] << 8));
                    }
                    short s = (short) (sum / channels);
                    mono[2 * f] = (byte) s;
                    mono[2 * f + 1] = (byte) (s >> 8);
                }
                pcm = mono;
            }
            byte[] out = resampler.process(pcm, 0, frames * 2);
            if (out.length > 0) {
                deliverAudio(out);
            }
        }
    }

    private final class Observer implements PeerConnectionObserver {
        private final SignalTarget target;

        Observer(SignalTarget target) {
            this.target = target;
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            signal.send(SignalRequest.newBuilder().setTrickle(Sdp.trickle(candidate, target)).build());
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            log.debug("[{}] livekit: {} peer connection {}", callId, target, state);
            boolean isPublisher = target == SignalTarget.PUBLISHER;
            if (state == RTCPeerConnectionState.CONNECTED) {
                if (isPublisher) {
                    publisherConnected();
                }
                if (isPublisher != subscriberPrimary) {
                    primaryConnected.complete(null);
                }
            } else if (state == RTCPeerConnectionState.FAILED) {
                String which = isPublisher ? "publisher" : "subscriber";
                primaryConnected.completeExceptionally(new ServiceException("livekit", "the " + which + " peer connection failed", true, null));
                end(l -> l.onError("the " + which + " peer connection failed (ICE or DTLS)", null, true));
            }
        }

        @Override
        public void onAddTrack(RTCRtpReceiver receiver, MediaStream[] streams) {
            // the native stream objects are only valid during this callback: read them here
            if (target == SignalTarget.SUBSCRIBER && receiver.getTrack() instanceof AudioTrack audio) {
                String streamId = streams.length == 0 || streams[0].id() == null ? "" : streams[0].id();
                String participant = streamId.split("\\|", 2)[0];
                post(() -> attachInbound(audio, participant));
            }
        }

        @Override
        public void onRemoveTrack(RTCRtpReceiver receiver) {
            if (target == SignalTarget.SUBSCRIBER && receiver.getTrack() != null) {
                String trackId = receiver.getTrack().getId();
                post(() -> detachInbound(trackId));
            }
        }
    }
}
