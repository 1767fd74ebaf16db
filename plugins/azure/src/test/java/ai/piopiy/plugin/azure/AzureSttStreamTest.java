package ai.piopiy.plugin.azure;

import static ai.piopiy.plugin.ttswebsocket.testing.TestAudio.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.azure.FakeAzureSpeech.ClientMessage;
import ai.piopiy.plugin.azure.FakeAzureSpeech.Connection;
import ai.piopiy.plugin.azure.internal.AzureSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.RecordingProviderContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** azure-stt against a local server speaking the Speech service's WebSocket protocol. */
class AzureSttStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PHRASE = "{\"RecognitionStatus\":\"Success\",\"DisplayText\":\"%s\",\"Offset\":%d,\"Duration\":%d}";

    private final FakeAzureSpeech fake = new FakeAzureSpeech();
    private final RecordingProviderContext context = new RecordingProviderContext("azure-stt");
    private final RecordingSttListener events = new RecordingSttListener();
    private AzureSttService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        fake.close();
        context.close();
        assertThat(events.overlapped()).as("listener calls overlapped").isFalse();
        context.logger().assertNeverLogged(FakeAzureSpeech.KEY);
    }

    private AzureSttStream open(int rate, UnaryOperator<AzureSttConfig.Builder> settings) {
        AzureSpeechAccount account = AzureSpeechAccount.of(Secret.of(FakeAzureSpeech.KEY, "AZURE_SPEECH_KEY"), "eastus")
                .withEndpoint(fake.url());
        AzureSttConfig config = settings.apply(AzureSttConfig.builder(account).reconnectBackoff(Duration.ofMillis(10))).build();
        service = new AzureSttService(config, context);
        return (AzureSttStream) service.openStream(new SttStreamSpec(AudioFormat.pcm16(rate), "call-1"), events);
    }

    private AzureSttStream open() {
        return open(16_000, b -> b);
    }

    /** Reads a connection's opening (config, context, the WAV header) and returns the turn's RequestId. */
    private static String handshake(Connection connection, int wireRate) throws Exception {
        ClientMessage config = connection.next("speech.config");
        assertThat(config.headers().get("content-type")).isEqualTo("application/json");
        JsonNode source = JSON.readTree(config.text()).path("context").path("audio").path("source");
        assertThat(source.path("samplerate").asInt()).isEqualTo(wireRate);
        assertThat(source.path("bitspersample").asInt()).isEqualTo(16);
        assertThat(source.path("channelcount").asInt()).isEqualTo(1);
        return turnOpening(connection, config.requestId(), wireRate);
    }

    private static String turnOpening(Connection connection, String expectedRequestId, int wireRate) throws Exception {
        ClientMessage context = connection.next("speech.context");
        if (expectedRequestId != null) {
            assertThat(context.requestId()).isEqualTo(expectedRequestId);
        }
        JSON.readTree(context.text());
        ClientMessage wav = connection.next("audio");
        assertThat(wav.requestId()).isEqualTo(context.requestId());
        assertThat(wav.headers().get("content-type")).isEqualTo("audio/x-wav");
        ByteBuffer header = ByteBuffer.wrap(connection.wavHeaders.get(context.requestId())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(header.getShort(22)).as("mono").isEqualTo((short) 1);
        assertThat(header.getInt(24)).as("sample rate").isEqualTo(wireRate);
        assertThat(header.getShort(34)).as("bits per sample").isEqualTo((short) 16);
        return context.requestId();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void send(AzureSttStream stream, byte[] pcm) {
        stream.sendAudio(pcm, 0, pcm.length);
    }

    /** Ticks (100 ns) of {@code bytes} of PCM16 at 16 kHz. */
    private static long ticks(int bytes) {
        return bytes / 2 * 10_000_000L / 16_000;
    }

    @Test
    void aNormalExchangeFromTheFirstAudioToTheLastTurn() throws Exception {
        AzureSttStream stream = open();
        byte[] a = pattern(1, 640);
        byte[] b = pattern(2, 640);
        send(stream, a); // before the connection is up: kept, then sent after the WAV header
        Connection connection = fake.nextConnection();
        assertThat(connection.upgrade.getUrl().encodedPath()).isEqualTo("/speech/recognition/conversation/cognitiveservices/v1");
        assertThat(connection.upgrade.getUrl().queryParameter("language")).isEqualTo("en-US");
        assertThat(connection.upgrade.getUrl().queryParameter("format")).isEqualTo("simple");
        assertThat(connection.upgrade.getHeaders().get("X-ConnectionId")).matches("[0-9a-f]{32}");
        String turn = handshake(connection, 16_000);
        assertThat(turn).matches("[0-9a-f]{32}").isNotEqualTo(connection.upgrade.getHeaders().get("X-ConnectionId"));
        send(stream, b);
        assertThat(connection.awaitAudio(turn, 1280)).isEqualTo(concat(a, b));

        connection.send("turn.start", turn, "{\"context\":{\"serviceTag\":\"7B33613B91714B32817815DC89633AFA\"}}");
        connection.send("speech.startDetected", turn, "{\"Offset\":100000}");
        connection.send("speech.hypothesis", turn, "{\"Text\":\"i'd like to book\",\"Offset\":100000,\"Duration\":12300000}");
        stream.userStoppedSpeaking();
        connection.send("speech.phrase", turn, PHRASE.formatted("I'd like to book a table.", 100000, 23600000));

        assertThat(events.next()).isEqualTo(RecordingSttListener.SPEECH_STARTED);
        assertThat(events.next(Transcript.class)).isEqualTo(new Transcript("i'd like to book", false, "en-US", Double.NaN));
        Transcript last = events.next(Transcript.class);
        assertThat(last.text()).isEqualTo("I'd like to book a table.");
        assertThat(last.isFinal()).isTrue();
        assertThat(context.recordedMetrics()).singleElement().isInstanceOfSatisfying(Metric.TimeToFirstByte.class,
                m -> assertThat(m.source()).isEqualTo("azure-stt"));

        stream.close();
        List<ClientMessage> rest = connection.until("telemetry");
        ClientMessage endOfAudio = rest.get(rest.size() - 2);
        assertThat(endOfAudio.path()).isEqualTo("audio");
        assertThat(endOfAudio.audio()).isEmpty();
        assertThat(connection.turnEnded(turn)).isTrue();
        ClientMessage telemetry = rest.getLast();
        assertThat(telemetry.requestId()).isEqualTo(turn);
        JsonNode report = JSON.readTree(telemetry.text());
        assertThat(report.path("ReceivedMessages").properties()).extracting(Map.Entry::getKey)
                .contains("turn.start", "speech.startDetected", "speech.hypothesis", "speech.phrase", "speech.endDetected", "turn.end");
        assertThat(report.path("ReceivedMessages").path("speech.phrase").get(0).asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        JsonNode connectionMetric = report.path("Metrics").get(0);
        assertThat(connectionMetric.path("Name").asText()).isEqualTo("Connection");
        assertThat(connectionMetric.path("Id").asText()).isEqualTo(connection.upgrade.getHeaders().get("X-ConnectionId"));
        assertThat(connectionMetric.has("Start") && connectionMetric.has("End")).isTrue();
        assertThat(events.next()).isEqualTo(RecordingSttListener.UTTERANCE_END);
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(connection.protocolViolation()).isNull();
    }

    @Test
    void fragmentsAreInterimNoMatchIsIgnoredAndDetailedResultsCarryConfidence() throws Exception {
        AzureSttStream stream = open(16_000, b -> b.detailed(true).language("de-DE").endpointId("c0ffee").segmentationSilenceMs(400));
        Connection connection = fake.nextConnection();
        assertThat(connection.upgrade.getUrl().queryParameter("format")).isEqualTo("detailed");
        assertThat(connection.upgrade.getUrl().queryParameter("language")).isEqualTo("de-DE");
        assertThat(connection.upgrade.getUrl().queryParameter("cid")).isEqualTo("c0ffee");
        assertThat(connection.upgrade.getUrl().queryParameter("segmentationSilenceTimeoutMs")).isEqualTo("400");
        String turn = handshake(connection, 16_000);

        connection.send("speech.fragment", turn, "{\"Text\":\"einen Tisch\",\"Offset\":0,\"Duration\":5000000}");
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"NoMatch\",\"Offset\":0,\"Duration\":5000000}");
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"InitialSilenceTimeout\",\"Offset\":0,\"Duration\":5000000}");
        connection.send("speech.hypothesis", turn, "{\"Text\":\"\",\"Offset\":0,\"Duration\":0}");
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"Success\",\"Offset\":0,\"Duration\":9000000,"
                + "\"NBest\":[{\"Confidence\":0.93,\"Lexical\":\"einen tisch bitte\",\"ITN\":\"einen tisch bitte\","
                + "\"MaskedITN\":\"einen tisch bitte\",\"Display\":\"Einen Tisch, bitte.\"}]}");

        assertThat(events.next(Transcript.class)).isEqualTo(new Transcript("einen Tisch", false, "de-DE", Double.NaN));
        assertThat(events.next(Transcript.class)).isEqualTo(new Transcript("Einen Tisch, bitte.", true, "de-DE", 0.93));
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDropped1011ConnectionIsReopenedWithANewTurnThatReplaysTheUnsettledAudio() throws Exception {
        AzureSttStream stream = open();
        Connection first = fake.nextConnection();
        String turn = handshake(first, 16_000);
        byte[] a = pattern(1, 3200);
        byte[] b = pattern(2, 3200);
        send(stream, a);
        send(stream, b);
        first.awaitAudio(turn, 6400);
        first.send("speech.phrase", turn, PHRASE.formatted("The first part.", 0, ticks(3200)));
        assertThat(events.next(Transcript.class).text()).isEqualTo("The first part.");

        first.close(1011, "Internal server error");
        Connection second = fake.nextConnection();
        assertThat(second.upgrade.getHeaders().get("X-ConnectionId")).isNotEqualTo(first.upgrade.getHeaders().get("X-ConnectionId"));
        String again = handshake(second, 16_000);
        assertThat(again).isNotEqualTo(turn);
        byte[] c = pattern(3, 640);
        send(stream, c);
        assertThat(second.awaitAudio(again, 3840)).as("b was not settled, a was").isEqualTo(concat(b, c));
        second.send("speech.phrase", again, PHRASE.formatted("The second part.", 0, ticks(3840)));
        assertThat(events.next(Transcript.class).text()).isEqualTo("The second part.");
        assertThat(context.logger().contains("closed by Azure Speech with code 1011: Internal server error")).isTrue();
        assertThat(second.protocolViolation()).isNull();
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionDroppedWithoutACloseFrameIsReopenedAndNoAudioIsLost() throws Exception {
        AzureSttStream stream = open();
        Connection first = fake.nextConnection();
        String turn = handshake(first, 16_000);
        byte[] a = pattern(1, 1280);
        send(stream, a);
        first.awaitAudio(turn, 1280);
        first.drop();
        byte[] b = pattern(2, 1280);
        send(stream, b); // into the dead socket or the pending queue: either way the next turn carries it
        Connection second = fake.nextConnection();
        String again = handshake(second, 16_000);
        assertThat(second.awaitAudio(again, 2560)).isEqualTo(concat(a, b));
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theConnectionIsReplacedBeforeItsTimeLimitWithoutLosingAudio() throws Exception {
        AzureSttStream stream = open(16_000, b -> b.connectionLifetime(Duration.ofMillis(300)));
        Connection first = fake.nextConnection();
        String turn = handshake(first, 16_000);
        byte[] a = pattern(1, 1280);
        send(stream, a);
        first.awaitAudio(turn, 1280);

        Connection second = fake.nextConnection();
        String fresh = handshake(second, 16_000);
        assertThat(second.awaitAudio(fresh, 1280)).as("the unsettled audio moves to the fresh connection").isEqualTo(a);
        assertThat(first.ended.get(5, TimeUnit.SECONDS)).as("the old connection was closed normally").isEqualTo(1000);
        byte[] b = pattern(2, 640);
        send(stream, b);
        assertThat(second.awaitAudio(fresh, 1920)).isEqualTo(concat(a, b));
        second.send("speech.phrase", fresh, PHRASE.formatted("Still listening.", 0, ticks(1920)));
        assertThat(events.next(Transcript.class).text()).isEqualTo("Still listening.");
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTurnTheServiceEndsByItselfIsFollowedByAFreshTurnOnTheSameConnection() throws Exception {
        AzureSttStream stream = open();
        Connection connection = fake.nextConnection();
        String turn = handshake(connection, 16_000);
        byte[] a = pattern(1, 640);
        send(stream, a);
        connection.awaitAudio(turn, 640);
        connection.send("speech.phrase", turn, PHRASE.formatted("Hello.", 0, ticks(640)));
        connection.send("turn.end", turn, "");
        assertThat(events.next(Transcript.class).text()).isEqualTo("Hello.");

        List<ClientMessage> sent = connection.until("telemetry");
        assertThat(sent.getLast().requestId()).isEqualTo(turn);
        String next = turnOpening(connection, null, 16_000);
        assertThat(next).isNotEqualTo(turn);
        byte[] b = pattern(2, 640);
        send(stream, b);
        assertThat(connection.awaitAudio(next, 640)).isEqualTo(b);
        assertThat(connection.protocolViolation()).isNull();
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void closingTheServiceCutsOpenStreamsAndSilencesTheirListeners() throws Exception {
        AzureSttStream stream = open();
        Connection connection = fake.nextConnection();
        String turn = handshake(connection, 16_000);
        connection.send("speech.hypothesis", turn, "{\"Text\":\"half a\",\"Offset\":0,\"Duration\":100000}");
        assertThat(events.next(Transcript.class).text()).isEqualTo("half a");

        service.close();
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).as("the connection was really closed").isIn(1000, -1);
        stream.sendAudio(new byte[640], 0, 640); // ignored once finished
        events.assertQuietFor(100);
    }

    @Test
    void aServiceMadeFromCodeWithoutTheRuntimeRecognises() throws Exception {
        AzureSpeechAccount account = AzureSpeechAccount.of(Secret.of(FakeAzureSpeech.KEY), "eastus").withEndpoint(fake.url());
        try (AzureSttService standalone = new AzureSttService(AzureSttConfig.builder(account).build())) {
            AzureSttStream stream = (AzureSttStream) standalone.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), events);
            Connection connection = fake.nextConnection();
            String turn = handshake(connection, 16_000);
            connection.send("speech.phrase", turn, PHRASE.formatted("From code.", 0, 1000));
            assertThat(events.next(Transcript.class).text()).isEqualTo("From code.");
            stream.close();
            stream.finished().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void close1007IsAFatalErrorAndIsNotRetried() throws Exception {
        open();
        Connection connection = fake.nextConnection();
        handshake(connection, 16_000);
        connection.close(1007, "Invalid audio format");
        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("rejected the audio", "1007", "Invalid audio format");
        fake.assertNoConnection(300);
        assertThat(fake.requestCount()).isEqualTo(1);
    }

    @Test
    void aRejectedKeyIsFatalNamesWhereTheKeyCameFromAndNeverShowsIt() throws Exception {
        String wrong = "wrong-key-8c41d2";
        AzureSpeechAccount account = AzureSpeechAccount.of(Secret.of(wrong, "AZURE_SPEECH_KEY"), "eastus").withEndpoint(fake.url());
        service = new AzureSttService(AzureSttConfig.builder(account).reconnectBackoff(Duration.ofMillis(10)).build(), context);
        service.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), events);
        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("rejected the key from AZURE_SPEECH_KEY", "HTTP 401", "invalid subscription key")
                .doesNotContain(wrong);
        Thread.sleep(100);
        assertThat(fake.requestCount()).as("not retried").isEqualTo(1);
        context.logger().assertNeverLogged(wrong);
    }

    @Test
    void aForbiddenUpgradeIsFatalToo() throws Exception {
        fake.refuseWith = 403;
        open();
        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("HTTP 403").doesNotContain(FakeAzureSpeech.KEY);
        assertThat(fake.requestCount()).isEqualTo(1);
    }

    @Test
    void unavailableUpgradesAreRetriedThenGiveUp() throws Exception {
        fake.refuseWith = 503;
        open(16_000, b -> b.reconnectAttempts(2));
        ServiceException error = events.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("could not reconnect after 2 attempts", "HTTP 503");
        assertThat(fake.requestCount()).isEqualTo(3);
    }

    @Test
    void malformedMessagesAreReportedAndTheStreamGoesOn() throws Exception {
        AzureSttStream stream = open();
        Connection connection = fake.nextConnection();
        String turn = handshake(connection, 16_000);
        connection.sendRaw("this is not a protocol message");
        connection.sendRaw("X-RequestId: " + turn + "\r\n\r\n{}");
        connection.send("speech.phrase", turn, "{not json");
        connection.send("speech.phrase", turn, "[1,2]");
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"Banana\"}");
        connection.opened.get().send(okio.ByteString.of(new byte[] {1, 2, 3}));
        connection.send("speech.phrase", turn, PHRASE.formatted("Still here.", 0, 1000));

        assertThat(events.next(ServiceException.class).getMessage()).contains("malformed", "without a colon");
        assertThat(events.next(ServiceException.class).getMessage()).contains("malformed", "no Path header");
        assertThat(events.next(ServiceException.class).getMessage()).contains("malformed", "not JSON");
        assertThat(events.next(ServiceException.class).getMessage()).contains("malformed", "not a JSON object");
        ServiceException unknown = events.next(ServiceException.class);
        assertThat(unknown.getMessage()).contains("unknown RecognitionStatus \"Banana\"");
        assertThat(unknown.fatal()).isFalse();
        assertThat(events.next(Transcript.class).text()).isEqualTo("Still here.");
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void errorStatusesAreReportedAndABadRequestEndsTheStream() throws Exception {
        AzureSttStream stream = open();
        Connection connection = fake.nextConnection();
        String turn = handshake(connection, 16_000);
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"TooManyRequests\"}");
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"Error\"}");
        connection.send("speech.phrase", turn, "{\"RecognitionStatus\":\"BadRequest\"}");

        ServiceException quota = events.next(ServiceException.class);
        assertThat(quota.fatal()).isFalse();
        assertThat(quota.getMessage()).contains("too many requests");
        assertThat(events.next(ServiceException.class).getMessage()).contains("recognition error");
        ServiceException bad = events.next(ServiceException.class);
        assertThat(bad.fatal()).isTrue();
        assertThat(bad.getMessage()).contains("BadRequest", "language");
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        events.assertQuietFor(100);
    }

    @Test
    void otherCallRatesAreResampledTo16kHz() throws Exception {
        AzureSttStream stream = open(24_000, b -> b);
        Connection connection = fake.nextConnection();
        String turn = handshake(connection, 16_000);
        send(stream, new byte[4800]); // 100 ms at 24 kHz
        assertThat(connection.awaitAudio(turn, 3200)).hasSize(3200);
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void eightKilohertzIsSentAsItIs() throws Exception {
        AzureSttStream stream = open(8_000, b -> b);
        Connection connection = fake.nextConnection();
        String turn = handshake(connection, 8_000);
        byte[] audio = pattern(4, 20_000); // more than one message may carry
        send(stream, audio);
        assertThat(connection.awaitAudio(turn, 20_000)).isEqualTo(audio);
        stream.close();
        List<ClientMessage> sent = connection.until("telemetry");
        assertThat(sent).filteredOn(m -> "audio".equals(m.path()) && m.audio().length > 0)
                .allSatisfy(m -> assertThat(m.audio().length).isLessThanOrEqualTo(8192));
        stream.finished().get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeGivesUpWaitingForAServerThatNeverEndsTheTurn() throws Exception {
        fake.answerEndOfAudio = false;
        AzureSttStream stream = open(16_000, b -> b.closeTimeout(Duration.ofMillis(200)));
        Connection connection = fake.nextConnection();
        handshake(connection, 16_000);
        long started = System.nanoTime();
        stream.close();
        stream.finished().get(5, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }
}
