package ai.piopiy.plugin.livekit.internal;

import ai.piopiy.spi.ServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalTarget;
import livekit.LivekitRtc.TrickleRequest;

/**
 * Blocking forms of webrtc-java's callback-style offer/answer calls, and the JSON form of ICE candidates LiveKit's
 * trickle messages carry. Called on a call's own lane, never on a WebRTC thread (whose callbacks these wait for).
 */
public final class Sdp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 5;

    private Sdp() {}

    public static RTCSessionDescription createOffer(RTCPeerConnection pc, boolean iceRestart) {
        RTCOfferOptions options = new RTCOfferOptions();
        options.iceRestart = iceRestart;
        CompletableFuture<RTCSessionDescription> done = new CompletableFuture<>();
        pc.createOffer(options, observer(done));
        return await(done, "create an offer");
    }

    public static RTCSessionDescription createAnswer(RTCPeerConnection pc) {
        CompletableFuture<RTCSessionDescription> done = new CompletableFuture<>();
        pc.createAnswer(new RTCAnswerOptions(), observer(done));
        return await(done, "create an answer");
    }

    public static void setLocal(RTCPeerConnection pc, RTCSessionDescription description) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.setLocalDescription(description, setObserver(done));
        await(done, "set the local " + description.sdpType);
    }

    public static void setRemote(RTCPeerConnection pc, RTCSessionDescription description) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.setRemoteDescription(description, setObserver(done));
        await(done, "set the remote " + description.sdpType);
    }

    /** LiveKit's {@code SessionDescription} of a WebRTC one. */
    public static SessionDescription toSignal(RTCSessionDescription d, int id) {
        String type = d.sdpType == RTCSdpType.OFFER ? "offer" : "answer";
        return SessionDescription.newBuilder().setType(type).setSdp(d.sdp).setId(id).build();
    }

    public static RTCSessionDescription fromSignal(SessionDescription d) {
        RTCSdpType type = switch (d.getType()) {
            case "offer" -> RTCSdpType.OFFER;
            case "answer" -> RTCSdpType.ANSWER;
            case "pranswer" -> RTCSdpType.PR_ANSWER;
            default -> throw new ServiceException("livekit", "unknown session description type \"" + d.getType() + "\"");
        };
        return new RTCSessionDescription(type, d.getSdp());
    }

    /**
     * A local candidate for the other side: {@code {"candidate": ..., "sdpMid": ..., "sdpMLineIndex": ...}}, the JSON
     * LiveKit's clients parse, for the connection {@code target} names (as the client sees it, in both directions).
     */
    public static TrickleRequest trickle(RTCIceCandidate c, SignalTarget target) {
        String json = JSON.createObjectNode().put("candidate", c.sdp).put("sdpMid", c.sdpMid).put("sdpMLineIndex", c.sdpMLineIndex).toString();
        return TrickleRequest.newBuilder().setCandidateInit(json).setTarget(target).build();
    }

    /** Parses a trickled candidate; a malformed one is a {@link ServiceException} (not fatal: the next may do). */
    public static RTCIceCandidate candidate(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.path("candidate").isTextual()) {
                throw new ServiceException("livekit", "a trickled ICE candidate without a candidate line");
            }
            String mid = n.path("sdpMid").isTextual() ? n.path("sdpMid").asText() : null;
            return new RTCIceCandidate(mid, n.path("sdpMLineIndex").asInt(0), n.path("candidate").asText());
        } catch (JsonProcessingException e) {
            throw new ServiceException("livekit", "a trickled ICE candidate that is not JSON: " + e.getOriginalMessage());
        }
    }

    private static CreateSessionDescriptionObserver observer(CompletableFuture<RTCSessionDescription> done) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                done.complete(description);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new ServiceException("livekit", error));
            }
        };
    }

    private static SetSessionDescriptionObserver setObserver(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new ServiceException("livekit", error));
            }
        };
    }

    private static <T> T await(CompletableFuture<T> done, String what) {
        try {
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ServiceException("livekit", "WebRTC could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ServiceException("livekit", "WebRTC did not " + what + " within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("livekit", "interrupted while waiting to " + what, e);
        }
    }
}
