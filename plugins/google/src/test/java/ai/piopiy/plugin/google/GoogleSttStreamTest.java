package ai.piopiy.plugin.google;

import static com.google.cloud.speech.v1.StreamingRecognizeResponse.SpeechEventType.END_OF_SINGLE_UTTERANCE;
import static com.google.cloud.speech.v1.StreamingRecognizeResponse.SpeechEventType.SPEECH_ACTIVITY_BEGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.RecordingProviderContext;
import com.google.cloud.speech.v1.RecognitionConfig;
import com.google.cloud.speech.v1.StreamingRecognitionConfig;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The STT client against an in-process-style Speech server on 127.0.0.1 and a token endpoint. */
class GoogleSttStreamTest {

    /** 20 ms at 16 kHz. */
    private static final int CHUNK = 640;

    private FakeTokenEndpoint tokens;
    private FakeSpeech speech;
    private RecordingProviderContext context;
    private GoogleSttService service;
    private final SttEvents events = new SttEvents();

    @BeforeEach
    void start() throws Exception {
        tokens = new FakeTokenEndpoint();
        speech = new FakeSpeech();
        context = new RecordingProviderContext("google-stt");
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        speech.close();
        tokens.close();
        context.logger().assertNeverLogged(FakeTokenEndpoint.TOKEN, FakeTokenEndpoint.privateKeyFragment());
        assertThat(events.recorder.overlapped()).isFalse();
        context.close();
    }

    private SttStream open(GoogleSttConfig config) {
        service = new GoogleSttService(config, context);
        return service.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-7"), events);
    }

    private GoogleSttConfig config() {
        return GoogleSttConfig.defaults(GoogleCredentials.serviceAccount(Secret.of(tokens.keyJson(), "test")))
                .withEndpoint(speech.endpoint());
    }

    private static byte[] chunk(int index) {
        byte[] audio = new byte[CHUNK];
        Arrays.fill(audio, (byte) (index + 1));
        return audio;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void sendsTheConfigFirstThenAudioWithABearerTokenAndReportsInterimAndFinalResults() throws Exception {
        SttStream stream = open(config());
        stream.sendAudio(chunk(0), 0, CHUNK);
        stream.sendAudio(chunk(1), 0, CHUNK);
        FakeSpeech.Stream call = speech.nextStream();

        assertThat(call.awaitAudio(2 * CHUNK)).isEqualTo(concat(chunk(0), chunk(1)));
        assertThat(call.authorization()).isEqualTo("Bearer " + FakeTokenEndpoint.TOKEN);
        List<StreamingRecognizeRequest> requests = call.requests();
        assertThat(requests.getFirst().hasStreamingConfig()).isTrue();
        assertThat(requests.getFirst().getAudioContent().isEmpty()).isTrue();
        assertThat(requests.subList(1, requests.size())).allSatisfy(r -> {
            assertThat(r.hasStreamingConfig()).isFalse();
            assertThat(r.getAudioContent().size()).isEqualTo(CHUNK);
        });
        StreamingRecognitionConfig sent = requests.getFirst().getStreamingConfig();
        assertThat(sent.getInterimResults()).isTrue();
        assertThat(sent.getSingleUtterance()).isFalse();
        assertThat(sent.getConfig().getEncoding()).isEqualTo(RecognitionConfig.AudioEncoding.LINEAR16);
        assertThat(sent.getConfig().getSampleRateHertz()).isEqualTo(16_000);
        assertThat(sent.getConfig().getAudioChannelCount()).isEqualTo(1);
        assertThat(sent.getConfig().getLanguageCode()).isEqualTo("en-US");
        assertThat(sent.getConfig().getModel()).isEqualTo("latest_long");
        assertThat(sent.getConfig().getEnableAutomaticPunctuation()).isTrue();

        call.send(FakeSpeech.event(SPEECH_ACTIVITY_BEGIN));
        call.send(FakeSpeech.interim("to be ", "or not"));
        stream.userStoppedSpeaking();
        call.send(FakeSpeech.result(" to be or not to be ", 0.92f, 40));

        assertThat(events.next()).isEqualTo(SttEvents.SPEECH_STARTED);
        assertThat(events.next(Transcript.class)).isEqualTo(new Transcript("to be or not", false, "en-US", Double.NaN));
        Transcript last = events.next(Transcript.class);
        assertThat(last.text()).isEqualTo("to be or not to be");
        assertThat(last.isFinal()).isTrue();
        assertThat(last.language()).isEqualTo("en-us");
        assertThat(last.confidence()).isCloseTo(0.92, offset(1e-6));
        assertThat(context.recordedMetrics()).singleElement().isInstanceOfSatisfying(Metric.TimeToFirstByte.class,
                ttfb -> assertThat(ttfb.source()).isEqualTo("google-stt"));

        stream.close();
        assertThat(call.awaitHalfClose()).isTrue();
        call.send(FakeSpeech.result("and the last words", 0f, 60));
        call.complete();
        Transcript flushed = events.next(Transcript.class);
        assertThat(flushed.text()).isEqualTo("and the last words");
        assertThat(flushed.confidence()).isNaN();
        events.recorder.assertNothingAfter(4, 100);
        assertThat(call.isCancelled()).isFalse();
        assertThat(tokens.exchanges()).isEqualTo(1);
    }

    @Test
    void aStreamAtItsLimitIsReplacedAndTheUnsettledAudioIsSentAgainSoNoneIsLost() throws Exception {
        SttStream stream = open(config().withStreamLimit(Duration.ofMillis(300)));
        for (int i = 0; i < 3; i++) {
            stream.sendAudio(chunk(i), 0, CHUNK);
        }
        FakeSpeech.Stream first = speech.nextStream();
        first.awaitAudio(3 * CHUNK);
        // the first two chunks (40 ms) are settled by a final; the third is not
        first.send(FakeSpeech.result("hello", 0.8f, 40));
        assertThat(events.next(Transcript.class).text()).isEqualTo("hello");

        Thread.sleep(350);
        stream.sendAudio(chunk(3), 0, CHUNK);
        stream.sendAudio(chunk(4), 0, CHUNK);

        FakeSpeech.Stream second = speech.nextStream();
        assertThat(first.awaitCancel()).as("the replaced stream is cancelled").isTrue();
        byte[] settledByFirst = concat(chunk(0), chunk(1));
        byte[] sentToSecond = second.awaitAudio(3 * CHUNK);
        assertThat(second.requests().getFirst().hasStreamingConfig()).isTrue();
        assertThat(second.authorization()).isEqualTo("Bearer " + FakeTokenEndpoint.TOKEN);
        assertThat(sentToSecond).isEqualTo(concat(chunk(2), chunk(3), chunk(4)));
        // every byte reached the server, and every byte not settled by a final reached the stream still in use
        assertThat(concat(settledByFirst, sentToSecond)).isEqualTo(concat(chunk(0), chunk(1), chunk(2), chunk(3), chunk(4)));

        second.send(FakeSpeech.result("world", 0.8f, 60));
        assertThat(events.next(Transcript.class).text()).isEqualTo("world");
        assertThat(tokens.exchanges()).isEqualTo(1);
    }

    @Test
    void aStreamReplacedWithNoFinalResendsAllItsAudio() throws Exception {
        SttStream stream = open(config().withStreamLimit(Duration.ofMillis(200)));
        stream.sendAudio(chunk(0), 0, CHUNK);
        stream.sendAudio(chunk(1), 0, CHUNK);
        FakeSpeech.Stream first = speech.nextStream();
        first.awaitAudio(2 * CHUNK);
        first.send(FakeSpeech.interim("hel"));
        assertThat(events.next(Transcript.class).isFinal()).isFalse();

        Thread.sleep(250);
        stream.sendAudio(chunk(2), 0, CHUNK);

        FakeSpeech.Stream second = speech.nextStream();
        assertThat(second.awaitAudio(3 * CHUNK)).isEqualTo(concat(chunk(0), chunk(1), chunk(2)));
        // the old stream can no longer report anything
        first.send(FakeSpeech.result("stale", 0.5f, 40));
        second.send(FakeSpeech.result("hello", 0.9f, 60));
        assertThat(events.next(Transcript.class).text()).isEqualTo("hello");
    }

    @Test
    void aFinalNearTheLimitReplacesTheStreamAtOnceWithOnlyTheUnsettledAudio() throws Exception {
        SttStream stream = open(config().withStreamLimit(Duration.ofMillis(400)));
        stream.sendAudio(chunk(0), 0, CHUNK);
        stream.sendAudio(chunk(1), 0, CHUNK);
        FakeSpeech.Stream first = speech.nextStream();
        first.awaitAudio(2 * CHUNK);
        Thread.sleep(320);

        first.send(FakeSpeech.result("hi", 0.9f, 20));

        assertThat(events.next(Transcript.class).text()).isEqualTo("hi");
        FakeSpeech.Stream second = speech.nextStream();
        assertThat(first.awaitCancel()).isTrue();
        assertThat(second.awaitAudio(CHUNK)).isEqualTo(chunk(1));
    }

    @Test
    void closingHalfClosesAndCancelsTheCallWhenTheServerDoesNotEndIt() throws Exception {
        SttStream stream = open(config().withCloseTimeout(Duration.ofMillis(100)));
        stream.sendAudio(chunk(0), 0, CHUNK);
        FakeSpeech.Stream call = speech.nextStream();
        call.awaitAudio(CHUNK);
        call.send(FakeSpeech.interim("partial"));
        events.next(Transcript.class);

        stream.close();

        assertThat(call.awaitHalfClose()).isTrue();
        assertThat(call.awaitCancel()).as("the server sees the call cancelled").isTrue();
        stream.sendAudio(chunk(1), 0, CHUNK);
        speech.assertNoStreamFor(100);
        call.send(FakeSpeech.result("too late", 0.9f, 20));
        events.recorder.assertNothingAfter(1, 100);
    }

    @Test
    void unavailableIsReportedAndTheNextAudioReconnectsWithTheUnsettledAudio() throws Exception {
        SttStream stream = open(config().withReconnect(2, Duration.ZERO));
        stream.sendAudio(chunk(0), 0, CHUNK);
        FakeSpeech.Stream first = speech.nextStream();
        first.awaitAudio(CHUNK);
        first.fail(Status.UNAVAILABLE.withDescription("The service is currently unavailable."));

        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).contains("UNAVAILABLE", "The service is currently unavailable.", "call-7");

        stream.sendAudio(chunk(1), 0, CHUNK);
        FakeSpeech.Stream second = speech.nextStream();
        assertThat(second.awaitAudio(2 * CHUNK)).isEqualTo(concat(chunk(0), chunk(1)));
        assertThat(second.requests().getFirst().hasStreamingConfig()).isTrue();
        second.fail(Status.UNAVAILABLE);
        assertThat(events.next(ServiceException.class).fatal()).isFalse();

        stream.sendAudio(chunk(2), 0, CHUNK);
        speech.nextStream().fail(Status.UNAVAILABLE);
        ServiceException gaveUp = events.next(ServiceException.class);
        assertThat(gaveUp.fatal()).isTrue();
        assertThat(gaveUp.getMessage()).contains("3 times in a row", "UNAVAILABLE");
        stream.sendAudio(chunk(3), 0, CHUNK);
        speech.assertNoStreamFor(100);
    }

    @Test
    void unauthenticatedIsFatal() throws Exception {
        SttStream stream = open(config());
        stream.sendAudio(chunk(0), 0, CHUNK);
        speech.nextStream().fail(Status.UNAUTHENTICATED.withDescription("Request had invalid authentication credentials."));

        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("UNAUTHENTICATED", "invalid authentication credentials");
        assertThat(error.getMessage()).doesNotContain(FakeTokenEndpoint.TOKEN);
        stream.sendAudio(chunk(1), 0, CHUNK);
        speech.assertNoStreamFor(100);
    }

    @Test
    void invalidArgumentIsFatalAndCarriesTheServersReason() throws Exception {
        SttStream stream = open(config());
        stream.sendAudio(chunk(0), 0, CHUNK);
        speech.nextStream().fail(Status.INVALID_ARGUMENT.withDescription("Invalid recognition 'config': bad encoding.."));

        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("INVALID_ARGUMENT", "Invalid recognition 'config': bad encoding..");
    }

    @Test
    void anErrorInTheResponseBodyIsHandledLikeAStatus() throws Exception {
        SttStream stream = open(config());
        stream.sendAudio(chunk(0), 0, CHUNK);
        FakeSpeech.Stream call = speech.nextStream();
        call.send(StreamingRecognizeResponse.newBuilder()
                .setError(com.google.rpc.Status.newBuilder().setCode(Status.Code.PERMISSION_DENIED.value()).setMessage("Cloud Speech-to-Text API has not been used in project 42"))
                .build());

        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("PERMISSION_DENIED", "has not been used in project 42");
        assertThat(call.awaitCancel()).isTrue();
    }

    @Test
    void aRefusedKeyIsAFatalErrorThatNamesTheAccountButShowsNoSecret() throws Exception {
        tokens.failWith(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
        SttStream stream = open(config());
        stream.sendAudio(chunk(0), 0, CHUNK);

        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("invalid_grant: Invalid JWT Signature.", FakeTokenEndpoint.CLIENT_EMAIL,
                tokens.tokenUri());
        assertThat(error.getMessage()).doesNotContain(FakeTokenEndpoint.privateKeyFragment());
        speech.assertNoStreamFor(100);
    }

    @Test
    void aSingleUtteranceEndsTheStreamAndTheNextOneStartsWithWhatWasSaidSince() throws Exception {
        SttStream stream = open(config().withSingleUtterance(true));
        stream.sendAudio(chunk(0), 0, CHUNK);
        FakeSpeech.Stream first = speech.nextStream();
        first.awaitAudio(CHUNK);
        assertThat(first.requests().getFirst().getStreamingConfig().getSingleUtterance()).isTrue();
        first.send(FakeSpeech.event(END_OF_SINGLE_UTTERANCE));
        assertThat(first.awaitHalfClose()).as("the client half-closes on END_OF_SINGLE_UTTERANCE").isTrue();

        stream.sendAudio(chunk(1), 0, CHUNK);
        first.send(FakeSpeech.result("yes", 0.9f, 20));
        first.complete();
        assertThat(events.next(Transcript.class).text()).isEqualTo("yes");

        FakeSpeech.Stream second = speech.nextStream();
        assertThat(second.awaitAudio(CHUNK)).isEqualTo(chunk(1));
        assertThat(second.requests().getFirst().hasStreamingConfig()).isTrue();
    }
}
