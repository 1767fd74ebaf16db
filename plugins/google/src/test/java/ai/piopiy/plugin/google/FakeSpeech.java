package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.google.internal.SpeechMethods;
import com.google.cloud.speech.v1.SpeechRecognitionAlternative;
import com.google.cloud.speech.v1.StreamingRecognitionResult;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import com.google.protobuf.Duration;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Google's {@code google.cloud.speech.v1.Speech/StreamingRecognize} on 127.0.0.1 (plaintext gRPC over
 * Netty): it records each stream's metadata and requests and lets the test answer.
 */
final class FakeSpeech implements AutoCloseable {

    private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
    private final LocalGrpcServer server;

    FakeSpeech() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(SpeechMethods.SERVICE)
                .addMethod(SpeechMethods.STREAMING_RECOGNIZE, ServerCalls.asyncBidiStreamingCall(responses -> {
                    Stream stream = new Stream(responses);
                    streams.add(stream);
                    return stream;
                }))
                .build();
        server = new LocalGrpcServer(service);
    }

    String endpoint() {
        return server.endpoint();
    }

    /** The next stream a client opened, within 5 s. */
    Stream nextStream() throws InterruptedException {
        Stream stream = streams.poll(5, TimeUnit.SECONDS);
        assertThat(stream).as("a StreamingRecognize call within 5 s").isNotNull();
        return stream;
    }

    /** Asserts that no further stream is opened within {@code millis}. */
    void assertNoStreamFor(long millis) throws InterruptedException {
        assertThat(streams.poll(millis, TimeUnit.MILLISECONDS)).as("no further stream").isNull();
    }

    static StreamingRecognizeResponse interim(String... pieces) {
        StreamingRecognizeResponse.Builder response = StreamingRecognizeResponse.newBuilder();
        float stability = 0.9f;
        for (String piece : pieces) {
            response.addResults(StreamingRecognitionResult.newBuilder()
                    .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(piece))
                    .setStability(stability));
            stability = 0.01f;
        }
        return response.build();
    }

    static StreamingRecognizeResponse result(String text, float confidence, long endMillis) {
        return StreamingRecognizeResponse.newBuilder()
                .addResults(StreamingRecognitionResult.newBuilder()
                        .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(text).setConfidence(confidence))
                        .setIsFinal(true)
                        .setLanguageCode("en-us")
                        .setResultEndTime(Duration.newBuilder().setSeconds(endMillis / 1000).setNanos((int) (endMillis % 1000) * 1_000_000)))
                .build();
    }

    static StreamingRecognizeResponse event(StreamingRecognizeResponse.SpeechEventType type) {
        return StreamingRecognizeResponse.newBuilder().setSpeechEventType(type).build();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    /** One call: what the client sent, and a way to answer. */
    static final class Stream extends LocalGrpcServer.RecordedCall<StreamingRecognizeRequest, StreamingRecognizeResponse> {
        private final List<StreamingRecognizeRequest> requests = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream();

        Stream(StreamObserver<StreamingRecognizeResponse> responses) {
            super(responses);
        }

        String authorization() {
            return header("authorization");
        }

        List<StreamingRecognizeRequest> requests() {
            return requests;
        }

        /** Waits until {@code bytes} bytes of audio arrived, then returns all audio so far. */
        byte[] awaitAudio(int bytes) throws InterruptedException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (audioSize() < bytes) {
                assertThat(System.nanoTime()).as("%d bytes of audio within 5 s (got %d)", bytes, audioSize()).isLessThan(deadline);
                Thread.sleep(2);
            }
            synchronized (audio) {
                return audio.toByteArray();
            }
        }

        private int audioSize() {
            synchronized (audio) {
                return audio.size();
            }
        }

        @Override
        public void onNext(StreamingRecognizeRequest request) {
            requests.add(request);
            synchronized (audio) {
                audio.writeBytes(request.getAudioContent().toByteArray());
            }
        }
    }
}
