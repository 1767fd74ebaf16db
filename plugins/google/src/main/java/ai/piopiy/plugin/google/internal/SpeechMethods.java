package ai.piopiy.plugin.google.internal;

import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The gRPC method this plugin calls, described here rather than taken from Google's generated stub jar
 * ({@code grpc-google-cloud-speech-v1}), which the registry this project builds from does not serve.
 * The messages come from Google's published {@code proto-google-cloud-speech-v1}.
 */
public final class SpeechMethods {

    public static final String SERVICE = "google.cloud.speech.v1.Speech";

    /** {@code rpc StreamingRecognize(stream StreamingRecognizeRequest) returns (stream StreamingRecognizeResponse)}. */
    public static final MethodDescriptor<StreamingRecognizeRequest, StreamingRecognizeResponse> STREAMING_RECOGNIZE =
            MethodDescriptor.<StreamingRecognizeRequest, StreamingRecognizeResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "StreamingRecognize"))
                    .setRequestMarshaller(ProtoUtils.marshaller(StreamingRecognizeRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(StreamingRecognizeResponse.getDefaultInstance()))
                    .build();

    private SpeechMethods() {}
}
