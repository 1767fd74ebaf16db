package ai.piopiy.plugin.livekit.testing;

import ai.piopiy.plugin.livekit.internal.Sdp;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStream;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SignalTarget;
import livekit.LivekitRtc.TrickleRequest;

/**
 * The server's WebRTC side of one participant, as a LiveKit SFU has it: the peer of the participant's
 * publisher connection (it answers the participant's offers and receives its tracks) and of its subscriber
 * connection (it offers the other participants' tracks, stream id {@code PA_pub|TR_track}, track id the track
 * sid). Audio is relayed by decoding and re-encoding: a sink on a publisher's track pushes into a custom source
 * on each subscriber's connection. One audio module and factory per participant, as the client needs too.
 */
final class TestRoomPeer implements AutoCloseable {

    private final ExecutorService lane;
    private final HeadlessAudioDeviceModule audioModule = new HeadlessAudioDeviceModule();
    private final PeerConnectionFactory factory;
    private final RTCPeerConnection publisher;
    private final RTCPeerConnection subscriber;
    private final RTCDataChannel reliable;
    private final Consumer<SignalResponse> send;
    private final List<RTCIceCandidate> pendingPublisher = new ArrayList<>();
    private final List<RTCIceCandidate> pendingSubscriber = new ArrayList<>();
    private final Map<String, Outbound> outbound = new ConcurrentHashMap<>();
    /** Unsubscribed tracks, disposed with the rest at close (after their connection is closed). */
    private final List<Outbound> retired = new ArrayList<>();
    private final List<AudioTrackSink> inboundSinks = new CopyOnWriteArrayList<>();
    private volatile boolean subscriberUp;
    private boolean offering;
    private boolean offerAgain;
    private int offerId;

    /** A relayed track on this participant's subscriber connection. */
    private record Outbound(CustomAudioSource source, AudioTrack track, RTCRtpSender sender) {}

    /**
     * @param send sends a message to this participant
     * @param onTrack told of each audio track the participant publishes (its id, and a way to add sinks to it)
     */
    TestRoomPeer(String name, Consumer<SignalResponse> send, BiConsumer<String, AudioTrack> onTrack) {
        this.send = send;
        this.lane = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("room-" + name).factory());
        this.factory = new PeerConnectionFactory(audioModule);
        audioModule.initPlayout();
        audioModule.startPlayout();
        RTCConfiguration rtc = new RTCConfiguration();
        this.publisher = factory.createPeerConnection(rtc, new Observer(SignalTarget.PUBLISHER) {
            @Override
            public void onAddTrack(RTCRtpReceiver receiver, MediaStream[] streams) {
                if (receiver.getTrack() instanceof AudioTrack audio) {
                    audio.addSink((data, bits, rate, channels, frames) -> inboundSinks.forEach(s -> s.onData(data, bits, rate, channels, frames)));
                    onTrack.accept(audio.getId(), audio);
                }
            }
        });
        this.subscriber = factory.createPeerConnection(rtc, new Observer(SignalTarget.SUBSCRIBER));
        // a subscriber offer needs an m-line before any track exists, or ICE never starts: LiveKit opens _reliable
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = true;
        this.reliable = subscriber.createDataChannel("_reliable", init);
    }

    /** Receives what the participant publishes, relayed to others. */
    void addInboundSink(AudioTrackSink sink) {
        inboundSinks.add(sink);
    }

    void onOffer(SessionDescription offer) {
        lane.execute(() -> {
            Sdp.setRemote(publisher, Sdp.fromSignal(offer));
            pendingPublisher.forEach(publisher::addIceCandidate);
            pendingPublisher.clear();
            RTCSessionDescription answer = Sdp.createAnswer(publisher);
            Sdp.setLocal(publisher, answer);
            send.accept(SignalResponse.newBuilder().setAnswer(Sdp.toSignal(answer, offer.getId())).build());
        });
    }

    void onAnswer(SessionDescription answer) {
        lane.execute(() -> {
            Sdp.setRemote(subscriber, Sdp.fromSignal(answer));
            pendingSubscriber.forEach(subscriber::addIceCandidate);
            pendingSubscriber.clear();
            offering = false;
            if (offerAgain) {
                offerAgain = false;
                offer();
            }
        });
    }

    void onTrickle(TrickleRequest trickle) {
        if (trickle.getCandidateInit().isEmpty()) {
            return;
        }
        lane.execute(() -> {
            RTCIceCandidate c = Sdp.candidate(trickle.getCandidateInit());
            RTCPeerConnection pc = trickle.getTarget() == SignalTarget.PUBLISHER ? publisher : subscriber;
            if (pc.getRemoteDescription() == null) {
                (pc == publisher ? pendingPublisher : pendingSubscriber).add(c);
            } else {
                pc.addIceCandidate(c);
            }
        });
    }

    /**
     * Starts sending another participant's track to this one: a source and track on the subscriber connection
     * and a new offer. Returns the sink the publisher's audio is pushed into.
     */
    AudioTrackSink subscribe(String publisherSid, String trackSid) {
        CustomAudioSource source = new CustomAudioSource();
        lane.execute(() -> {
            AudioTrack track = factory.createAudioTrack(trackSid, source);
            RTCRtpSender sender = subscriber.addTrack(track, List.of(publisherSid + "|" + trackSid));
            outbound.put(trackSid, new Outbound(source, track, sender));
            offer();
        });
        return (data, bits, rate, channels, frames) -> {
            synchronized (outbound) {
                if (subscriberUp && outbound.containsKey(trackSid)) {
                    // each new send stream restarts the module's recording thread, which must not feed it too
                    audioModule.stopRecording();
                    source.pushAudio(data, bits, rate, channels, frames);
                }
            }
        };
    }

    /** Stops sending a track that was unpublished (its participant left). */
    void unsubscribe(String trackSid) {
        lane.execute(() -> {
            Outbound o;
            synchronized (outbound) {
                o = outbound.remove(trackSid);
            }
            if (o != null) {
                retired.add(o);
                subscriber.removeTrack(o.sender());
                offer();
            }
        });
    }

    /** The first subscriber offer, which carries the data channel (and tracks subscribed so far). */
    void offerSubscriber() {
        lane.execute(this::offer);
    }

    private void offer() {
        if (offering) {
            offerAgain = true; // one offer at a time: the next goes out with the answer to this one
            return;
        }
        offering = true;
        RTCSessionDescription offer = Sdp.createOffer(subscriber, false);
        Sdp.setLocal(subscriber, offer);
        send.accept(SignalResponse.newBuilder().setOffer(Sdp.toSignal(offer, ++offerId)).build());
    }

    @Override
    public void close() {
        inboundSinks.clear();
        try {
            lane.submit(() -> {
                List<Outbound> all;
                synchronized (outbound) {
                    all = List.copyOf(outbound.values());
                    outbound.clear();
                }
                for (Outbound o : all) {
                    subscriber.removeTrack(o.sender());
                }
                all = new ArrayList<>(all);
                all.addAll(retired);
                reliable.close();
                publisher.close();
                subscriber.close();
                reliable.dispose();
                for (Outbound o : all) {
                    o.track().dispose();
                    o.source().dispose();
                }
                audioModule.stopPlayout();
                factory.dispose();
                audioModule.dispose();
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not release a test room peer", e);
        } finally {
            lane.shutdown();
        }
    }

    private class Observer implements PeerConnectionObserver {
        private final SignalTarget target;

        Observer(SignalTarget target) {
            this.target = target;
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            send.accept(SignalResponse.newBuilder().setTrickle(Sdp.trickle(candidate, target)).build());
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (target == SignalTarget.SUBSCRIBER && state == RTCPeerConnectionState.CONNECTED) {
                subscriberUp = true;
            }
        }
    }
}
