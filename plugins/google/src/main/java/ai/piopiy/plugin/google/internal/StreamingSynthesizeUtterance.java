package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.GoogleTtsConfig;
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
    private final UtteranceOutput output;
    private ClientCallStreamObserver<DynamicMessage> requests; // pipeline thread
    private boolean finishing; // pipeline thread
    private int carried = -1; // the first byte of a sample split across two responses; gRPC's callbacks

    public StreamingSynthesizeUtterance(String name, GoogleTtsConfig config, ManagedChannel channel, CallOptions callOptions,
            ProviderContext context, int outputRate, TtsListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.callOptions = requireNonNull(callOptions, "callOptions is null");
        this.context = requireNonNull(context, "context is null");
        this.outputRate = outputRate;
        this.output = new UtteranceOutput(name, context, listener);
    }

    @Override
    public void sendText(String text) {
        requireNonNull(text, "text is null");
        if (output.stopped() || finishing || text.isBlank()) {
            return;
        }
        if (requests == null) {
            ClientCalls.asyncBidiStreamingCall(channel.newCall(TextToSpeechMethods.STREAMING_SYNTHESIZE, callOptions), new Responses());
            requests.onNext(TextToSpeechMethods.configRequest(config.language(), config.voiceId(), outputRate, config.speakingRate()));
        }
        output.textSent(text);
        requests.onNext(TextToSpeechMethods.textRequest(text));
    }

    @Override
    public void finish() {
        if (output.stopped() || finishing) {
            return;
        }
        finishing = true;
        if (requests == null) {
            // nothing was said: done at once, but from a provider thread as for any other answer
            context.blockingExecutor().execute(output::done);
        } else {
            requests.onCompleted();
        }
    }

    @Override
    public void cancel() {
        // the listener is silenced first: cancelling the call makes gRPC report CANCELLED, maybe on
        // another thread, and that must not reach the listener as an error
        output.stop();
        if (requests != null) {
            requests.cancel("the caller interrupted", null);
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
        output.audio(pcm);
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
            if (!output.stopped()) {
                output.fail(GrpcChannels.failure(name, "StreamingSynthesize with voice " + config.voiceId(), error));
            }
        }

        @Override
        public void onCompleted() {
            output.done();
        }
    }
}
