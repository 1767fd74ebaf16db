package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.GoogleTtsConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One bot answer through {@code StreamingSynthesize} (Chirp 3 HD voices): the first text opens a call
 * whose first request is the config; every text follows as an input as soon as it comes, and audio
 * (headerless PCM at the session's rate) streams back while the answer is still being written.
 * {@link #finish} half-closes; the server's end of stream is the utterance's end. Cancelling cancels
 * the call; no callback is made once {@link #cancel} returns.
 */
public final class StreamingSynthesizeUtterance implements TtsUtterance {

    private final String name;
    private final GoogleTtsConfig config;
    private final ManagedChannel channel;
    private final CallOptions callOptions;
    private final ProviderContext context;
    private final int outputRate;
    private final TtsListener listener;
    /** Held while the listener is called, so that nothing reaches it once cancel() has returned. */
    private final ReentrantLock delivery = new ReentrantLock();
    private boolean over; // guarded by delivery
    private volatile boolean cancelled;
    private ClientCallStreamObserver<DynamicMessage> requests; // pipeline thread
    private boolean finishing; // pipeline thread
    private volatile long firstTextAt = -1;
    private boolean heardFirstAudio; // gRPC's serialized callbacks
    private int carried = -1; // the first byte of a sample split across two responses; gRPC's callbacks

    public StreamingSynthesizeUtterance(String name, GoogleTtsConfig config, ManagedChannel channel, CallOptions callOptions,
            ProviderContext context, int outputRate, TtsListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.callOptions = requireNonNull(callOptions, "callOptions is null");
        this.context = requireNonNull(context, "context is null");
        this.outputRate = outputRate;
        this.listener = requireNonNull(listener, "listener is null");
    }

    @Override
    public void sendText(String text) {
        requireNonNull(text, "text is null");
        if (cancelled || finishing || text.isBlank()) {
            return;
        }
        if (requests == null) {
            firstTextAt = context.nanoTime();
            ClientCalls.asyncBidiStreamingCall(channel.newCall(TextToSpeechMethods.STREAMING_SYNTHESIZE, callOptions), new Responses());
            requests.onNext(TextToSpeechMethods.configRequest(config.language(), config.voiceId(), outputRate, config.speakingRate()));
        }
        requests.onNext(TextToSpeechMethods.textRequest(text));
        context.metrics().record(new Metric.TtsCharacters(name, text.length()));
    }

    @Override
    public void finish() {
        if (cancelled || finishing) {
            return;
        }
        finishing = true;
        if (requests == null) {
            // nothing was said: done at once, but from a provider thread as for any other answer
            context.blockingExecutor().execute(() -> deliver(true, listener::onDone));
        } else {
            requests.onCompleted();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (requests != null) {
            requests.cancel("the caller interrupted", null);
        }
        delivery.lock();
        try {
            over = true;
        } finally {
            delivery.unlock();
        }
    }

    private void audio(ByteString content) {
        if (content.isEmpty()) {
            return;
        }
        int size = content.size() + (carried >= 0 ? 1 : 0);
        byte[] pcm = new byte[size & ~1];
        int at = 0;
        if (carried >= 0) {
            pcm[at++] = (byte) carried;
        }
        content.copyTo(pcm, 0, at, pcm.length - at);
        carried = (size & 1) == 1 ? content.byteAt(content.size() - 1) & 0xff : -1;
        if (pcm.length == 0) {
            return;
        }
        if (!heardFirstAudio) {
            heardFirstAudio = true;
            context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - firstTextAt));
        }
        deliver(false, () -> listener.onAudio(pcm));
    }

    private void deliver(boolean terminal, Runnable callback) {
        delivery.lock();
        try {
            if (over || cancelled) {
                return;
            }
            over = terminal;
            callback.run();
        } finally {
            delivery.unlock();
        }
    }

    private final class Responses implements ClientResponseObserver<DynamicMessage, DynamicMessage> {
        @Override
        public void beforeStart(ClientCallStreamObserver<DynamicMessage> requestStream) {
            requests = requestStream;
        }

        @Override
        public void onNext(DynamicMessage response) {
            audio(TextToSpeechMethods.audioOf(response));
        }

        @Override
        public void onError(Throwable error) {
            if (cancelled) {
                return;
            }
            ServiceException failure = GrpcChannels.failure(name, "StreamingSynthesize with voice " + config.voiceId(), error);
            deliver(true, () -> listener.onError(failure));
        }

        @Override
        public void onCompleted() {
            deliver(true, listener::onDone);
        }
    }
}
