package ai.piopiy.plugin.google.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * {@code google.cloud.texttospeech.v1.TextToSpeech/StreamingSynthesize}. Google's compiled
 * texttospeech protos are not served by the registry this project builds from, so the messages this
 * method needs are declared here with the names and field numbers of {@code cloud_tts.proto}
 * (googleapis@f8291d2) and used as dynamic messages; fields left out are ones this client never sets
 * and, in answers, skipped as unknown.
 */
public final class TextToSpeechMethods {

    public static final String SERVICE = "google.cloud.texttospeech.v1.TextToSpeech";
    private static final String PACKAGE = "google.cloud.texttospeech.v1";
    /** {@code AudioEncoding.PCM}: headerless 16-bit little-endian samples. */
    private static final int PCM = 7;

    public static final Descriptor REQUEST;
    public static final Descriptor RESPONSE;
    private static final Descriptor CONFIG;
    private static final Descriptor VOICE;
    private static final Descriptor AUDIO_CONFIG;
    private static final Descriptor INPUT;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("piopiy/google/cloud/texttospeech/v1/streaming_synthesize.proto")
                .setPackage(PACKAGE)
                .setSyntax("proto3")
                .addEnumType(EnumDescriptorProto.newBuilder().setName("AudioEncoding")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("AUDIO_ENCODING_UNSPECIFIED").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("PCM").setNumber(PCM)))
                .addMessageType(message("VoiceSelectionParams",
                        field("language_code", 1, FieldDescriptorProto.Type.TYPE_STRING, null),
                        field("name", 2, FieldDescriptorProto.Type.TYPE_STRING, null)))
                .addMessageType(message("StreamingAudioConfig",
                        field("audio_encoding", 1, FieldDescriptorProto.Type.TYPE_ENUM, "AudioEncoding"),
                        field("sample_rate_hertz", 2, FieldDescriptorProto.Type.TYPE_INT32, null),
                        field("speaking_rate", 3, FieldDescriptorProto.Type.TYPE_DOUBLE, null)))
                .addMessageType(message("StreamingSynthesizeConfig",
                        field("voice", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, "VoiceSelectionParams"),
                        field("streaming_audio_config", 4, FieldDescriptorProto.Type.TYPE_MESSAGE, "StreamingAudioConfig")))
                .addMessageType(message("StreamingSynthesisInput",
                        field("text", 1, FieldDescriptorProto.Type.TYPE_STRING, null)))
                .addMessageType(message("StreamingSynthesizeRequest",
                        field("streaming_config", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, "StreamingSynthesizeConfig"),
                        field("input", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, "StreamingSynthesisInput")))
                .addMessageType(message("StreamingSynthesizeResponse",
                        field("audio_content", 1, FieldDescriptorProto.Type.TYPE_BYTES, null)))
                .build();
        FileDescriptor descriptor;
        try {
            descriptor = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
        } catch (DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
        VOICE = descriptor.findMessageTypeByName("VoiceSelectionParams");
        AUDIO_CONFIG = descriptor.findMessageTypeByName("StreamingAudioConfig");
        CONFIG = descriptor.findMessageTypeByName("StreamingSynthesizeConfig");
        INPUT = descriptor.findMessageTypeByName("StreamingSynthesisInput");
        REQUEST = descriptor.findMessageTypeByName("StreamingSynthesizeRequest");
        RESPONSE = descriptor.findMessageTypeByName("StreamingSynthesizeResponse");
    }

    /** {@code rpc StreamingSynthesize(stream StreamingSynthesizeRequest) returns (stream StreamingSynthesizeResponse)}. */
    public static final MethodDescriptor<DynamicMessage, DynamicMessage> STREAMING_SYNTHESIZE =
            MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "StreamingSynthesize"))
                    .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(REQUEST)))
                    .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(RESPONSE)))
                    .build();

    private TextToSpeechMethods() {}

    /** The first request of a call: the voice, and PCM at {@code sampleRate}. */
    public static DynamicMessage configRequest(String language, String voice, int sampleRate, double speakingRate) {
        DynamicMessage voiceParams = DynamicMessage.newBuilder(VOICE)
                .setField(VOICE.findFieldByName("language_code"), language)
                .setField(VOICE.findFieldByName("name"), voice)
                .build();
        DynamicMessage audio = DynamicMessage.newBuilder(AUDIO_CONFIG)
                .setField(AUDIO_CONFIG.findFieldByName("audio_encoding"), AUDIO_CONFIG.getFile().findEnumTypeByName("AudioEncoding").findValueByNumber(PCM))
                .setField(AUDIO_CONFIG.findFieldByName("sample_rate_hertz"), sampleRate)
                .setField(AUDIO_CONFIG.findFieldByName("speaking_rate"), speakingRate)
                .build();
        DynamicMessage config = DynamicMessage.newBuilder(CONFIG)
                .setField(CONFIG.findFieldByName("voice"), voiceParams)
                .setField(CONFIG.findFieldByName("streaming_audio_config"), audio)
                .build();
        return DynamicMessage.newBuilder(REQUEST).setField(REQUEST.findFieldByName("streaming_config"), config).build();
    }

    /** A later request: text to speak. */
    public static DynamicMessage textRequest(String text) {
        DynamicMessage input = DynamicMessage.newBuilder(INPUT).setField(INPUT.findFieldByName("text"), text).build();
        return DynamicMessage.newBuilder(REQUEST).setField(REQUEST.findFieldByName("input"), input).build();
    }

    /** A response's {@code audio_content}. */
    public static ByteString audioOf(DynamicMessage response) {
        return (ByteString) response.getField(RESPONSE.findFieldByName("audio_content"));
    }

    private static DescriptorProto message(String name, FieldDescriptorProto.Builder... fields) {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto.Builder field : fields) {
            message.addField(field);
        }
        return message.build();
    }

    private static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type, String typeName) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder()
                .setName(name).setNumber(number).setType(type).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
        return typeName == null ? field : field.setTypeName("." + PACKAGE + "." + typeName);
    }
}
