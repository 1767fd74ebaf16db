package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.google.internal.TextToSpeechMethods;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code google.cloud.texttospeech.v1.TextToSpeech/StreamingSynthesize} on 127.0.0.1: records each
 * call's metadata and requests (decoded by field name) and lets the test answer with audio.
 */
final class FakeTextToSpeech implements AutoCloseable {

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final LocalGrpcServer server;

    FakeTextToSpeech() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(TextToSpeechMethods.SERVICE)
                .addMethod(TextToSpeechMethods.STREAMING_SYNTHESIZE, ServerCalls.asyncBidiStreamingCall(responses -> {
                    Call call = new Call(responses);
                    calls.add(call);
                    return call;
                }))
                .build();
        server = new LocalGrpcServer(service);
    }

    String endpoint() {
        return server.endpoint();
    }

    Call nextCall() throws InterruptedException {
        Call call = calls.poll(5, TimeUnit.SECONDS);
        assertThat(call).as("a StreamingSynthesize call within 5 s").isNotNull();
        return call;
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    static DynamicMessage audio(byte[] pcm) {
        return DynamicMessage.newBuilder(TextToSpeechMethods.RESPONSE)
                .setField(TextToSpeechMethods.RESPONSE.findFieldByName("audio_content"), ByteString.copyFrom(pcm))
                .build();
    }

    /** One call: its requests, and a way to answer. */
    static final class Call extends LocalGrpcServer.RecordedCall<DynamicMessage, DynamicMessage> {
        private final BlockingQueue<DynamicMessage> requests = new LinkedBlockingQueue<>();

        Call(StreamObserver<DynamicMessage> responses) {
            super(responses);
        }

        DynamicMessage nextRequest() throws InterruptedException {
            DynamicMessage request = requests.poll(5, TimeUnit.SECONDS);
            assertThat(request).as("a request within 5 s").isNotNull();
            return request;
        }

        void send(byte[] pcm) {
            send(audio(pcm));
        }

        @Override
        public void onNext(DynamicMessage request) {
            requests.add(request);
        }
    }
}
