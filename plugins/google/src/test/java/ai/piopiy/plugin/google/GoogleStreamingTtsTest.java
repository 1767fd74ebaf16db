package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.google.internal.TextToSpeechMethods;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.RecordingProviderContext;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chirp 3 HD voices through StreamingSynthesize, against a local gRPC server and token endpoint. */
class GoogleStreamingTtsTest {

    private static final String API_KEY = "AIzaSy-streaming-key-77e1";

    private FakeTokenEndpoint tokens;
    private FakeTextToSpeech server;
    private RecordingProviderContext context;
    private GoogleTtsService service;
    private final TtsEvents events = new TtsEvents();

    @BeforeEach
    void start() throws Exception {
        tokens = new FakeTokenEndpoint();
        server = new FakeTextToSpeech();
        context = new RecordingProviderContext("google-tts");
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        server.close();
        tokens.close();
        context.logger().assertNeverLogged(FakeTokenEndpoint.TOKEN, FakeTokenEndpoint.privateKeyFragment(), API_KEY);
        assertThat(events.recorder.overlapped()).isFalse();
        context.close();
    }

    private TtsUtterance utterance(GoogleCredentials credentials) {
        GoogleTtsConfig config = GoogleTtsConfig.defaults(credentials).withEndpoint(server.endpoint());
        assertThat(config.streaming()).as("the default voice is a Chirp 3 HD voice").isTrue();
        service = new GoogleTtsService(config, context);
        return service.openSession(AudioFormat.PCM16_8K, "call-5").startUtterance(events);
    }

    private GoogleCredentials serviceAccount() {
        return GoogleCredentials.serviceAccount(Secret.of(tokens.keyJson(), "test"));
    }

    private static Object field(Message message, String path) {
        Object value = message;
        for (String name : path.split("\\.")) {
            Message current = (Message) value;
            Descriptor type = current.getDescriptorForType();
            value = current.getField(type.findFieldByName(name));
        }
        return value;
    }

    @Test
    void sendsTheConfigThenEachTextAsItComesAndPlaysTheAudioAsItStreams() throws Exception {
        TtsUtterance utterance = utterance(serviceAccount());
        utterance.sendText("Hello! ");
        FakeTextToSpeech.Call call = server.nextCall();

        DynamicMessage config = call.nextRequest();
        assertThat(config.hasField(TextToSpeechMethods.REQUEST.findFieldByName("input"))).isFalse();
        assertThat(field(config, "streaming_config.voice.name")).isEqualTo("en-US-Chirp3-HD-Charon");
        assertThat(field(config, "streaming_config.voice.language_code")).isEqualTo("en-US");
        assertThat(field(config, "streaming_config.streaming_audio_config.audio_encoding").toString()).isEqualTo("PCM");
        assertThat(field(config, "streaming_config.streaming_audio_config.sample_rate_hertz")).isEqualTo(8_000);
        assertThat(field(config, "streaming_config.streaming_audio_config.speaking_rate")).isEqualTo(1.0);
        assertThat(field(call.nextRequest(), "input.text")).isEqualTo("Hello! ");
        assertThat(call.header("authorization")).isEqualTo("Bearer " + FakeTokenEndpoint.TOKEN);
        // the wire form is cloud_tts.proto's: streaming_config is field 1, and in it the voice 1 and the audio config 4
        assertThat(config.toByteArray()[0]).isEqualTo((byte) 0x0a);

        // audio arrives before the answer is complete; a sample split across responses is joined
        call.send(new byte[] {1, 2, 3});
        assertThat(events.recorder.next(Duration.ofSeconds(5))).isEqualTo(new byte[] {1, 2});
        utterance.sendText("Your order has shipped.");
        assertThat(field(call.nextRequest(), "input.text")).isEqualTo("Your order has shipped.");
        utterance.finish();
        assertThat(call.awaitHalfClose()).isTrue();
        call.send(new byte[] {4, 5, 6, 7, 8});
        call.complete();

        List<Object> rest = events.untilEnd();
        assertThat(rest).last().isEqualTo(TtsEvents.DONE);
        assertThat(TtsEvents.audioOf(rest)).isEqualTo(new byte[] {3, 4, 5, 6, 7, 8});
        assertThat(context.recordedMetrics()).filteredOn(Metric.TimeToFirstByte.class::isInstance).hasSize(1);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TtsCharacters.class::isInstance)
                .extracting(m -> ((Metric.TtsCharacters) m).characters()).containsExactly(7, 23);
    }

    @Test
    void cancellingCancelsTheCallAndReportsNothingMore() throws Exception {
        TtsUtterance utterance = utterance(serviceAccount());
        utterance.sendText("A long answer.");
        FakeTextToSpeech.Call call = server.nextCall();
        call.nextRequest();
        call.send(new byte[320]);
        events.recorder.next(Duration.ofSeconds(5));

        utterance.cancel();

        assertThat(call.awaitCancel()).as("the server sees the call cancelled").isTrue();
        call.send(new byte[320]);
        events.recorder.assertNothingAfter(1, 200);
    }

    @Test
    void aRefusedVoiceIsAFatalErrorWithTheServersReason() throws Exception {
        TtsUtterance utterance = utterance(serviceAccount());
        utterance.sendText("Hello.");
        server.nextCall().fail(Status.INVALID_ARGUMENT.withDescription("This voice does not support streaming."));

        ServiceException error = (ServiceException) events.untilEnd().getLast();
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("INVALID_ARGUMENT", "This voice does not support streaming.", "en-US-Chirp3-HD-Charon");
        events.recorder.assertNothingAfter(1, 100);
    }

    @Test
    void unavailableIsNotFatal() throws Exception {
        TtsUtterance utterance = utterance(serviceAccount());
        utterance.sendText("Hello.");
        server.nextCall().fail(Status.UNAVAILABLE);

        ServiceException error = (ServiceException) events.untilEnd().getLast();
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).contains("UNAVAILABLE");
    }

    @Test
    void anApiKeyGoesInTheGoogApiKeyMetadata() throws Exception {
        TtsUtterance utterance = utterance(GoogleCredentials.apiKey(Secret.of(API_KEY)));
        utterance.sendText("Hello.");
        FakeTextToSpeech.Call call = server.nextCall();
        call.nextRequest();

        assertThat(call.header("x-goog-api-key")).isEqualTo(API_KEY);
        assertThat(call.header("authorization")).isNull();
        assertThat(tokens.exchanges()).isZero();
        utterance.cancel();
    }

    @Test
    void anAnswerWithoutTextIsDoneWithoutACall() throws Exception {
        TtsUtterance utterance = utterance(serviceAccount());
        utterance.sendText("   ");
        utterance.finish();

        assertThat(events.untilEnd()).containsExactly(TtsEvents.DONE);
        assertThat(tokens.exchanges()).isZero();
    }
}
