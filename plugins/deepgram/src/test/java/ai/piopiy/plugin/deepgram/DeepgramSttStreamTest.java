package ai.piopiy.plugin.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.deepgram.internal.DeepgramSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingSttListener;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream against {@link FakeDeepgram}, a local server speaking Deepgram's live protocol. */
class DeepgramSttStreamTest {

    private FakeDeepgram fake;
    private RecordingProviderContext context;
    private DeepgramSttService service;
    private final RecordingSttListener listener = new RecordingSttListener();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeDeepgram();
        context = new RecordingProviderContext("deepgram");
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        fake.close();
        context.close();
        // whatever happened, the key never shows up in a log line or in an error
        context.logger().assertNeverLogged(FakeDeepgram.KEY, "wrong-key");
        assertThat(listener.errors()).noneMatch(e -> e.getMessage().contains(FakeDeepgram.KEY)
                || e.getMessage().contains("wrong-key"));
        assertThat(listener.overlapped()).as("listener calls overlapped").isFalse();
    }

    @Test
    void streamsAudioAndDeliversResultsInOrder() throws Exception {
        SttStream stream = open(b -> b);
        // sent before the handshake completes: buffered and replayed
        byte[] first = pcm(640, 1);
        byte[] second = pcm(640, 2);
        stream.sendAudio(first, 0, first.length);
        stream.sendAudio(second, 0, second.length);

        FakeDeepgram.Connection connection = fake.nextConnection();
        HttpUrl url = connection.request.getUrl();
        assertThat(url.encodedPath()).isEqualTo("/v1/listen");
        assertThat(url.queryParameter("model")).isEqualTo("nova-2");
        assertThat(url.queryParameter("language")).isEqualTo("en-US");
        assertThat(url.queryParameter("encoding")).isEqualTo("linear16");
        assertThat(url.queryParameter("sample_rate")).isEqualTo("16000");
        assertThat(url.queryParameter("channels")).isEqualTo("1");
        assertThat(url.queryParameter("interim_results")).isEqualTo("true");
        assertThat(url.queryParameter("punctuate")).isEqualTo("true");
        assertThat(url.queryParameter("smart_format")).isEqualTo("true");
        assertThat(url.queryParameter("endpointing")).isEqualTo("300");
        assertThat(url.queryParameter("utterance_end_ms")).isEqualTo("1000");
        assertThat(url.queryParameter("vad_events")).isEqualTo("true");
        assertThat(connection.request.getHeaders().get("Authorization")).isEqualTo("Token " + FakeDeepgram.KEY);

        assertThat(connection.nextFrame(ByteString.class)).isEqualTo(ByteString.of(first));
        assertThat(connection.nextFrame(ByteString.class)).isEqualTo(ByteString.of(second));
        byte[] third = pcm(960, 3);
        stream.sendAudio(third, 320, 320);
        assertThat(connection.nextFrame(ByteString.class)).isEqualTo(ByteString.of(third, 320, 320));

        connection.send(FakeDeepgram.SPEECH_STARTED);
        connection.send(FakeDeepgram.results("hello", false, false, false));
        connection.send(FakeDeepgram.results("", false, false, false)); // silence: skipped
        connection.send(FakeDeepgram.results("Hello there.", true, true, false));
        connection.send(FakeDeepgram.UTTERANCE_END);

        assertThat(listener.next()).isEqualTo(RecordingSttListener.SPEECH_STARTED);
        assertThat(listener.next(Transcript.class)).isEqualTo(new Transcript("hello", false, "en-US", 0.98));
        assertThat(listener.next(Transcript.class)).isEqualTo(new Transcript("Hello there.", true, "en-US", 0.98));
        assertThat(listener.next()).isEqualTo(RecordingSttListener.UTTERANCE_END);
        assertThat(listener.errors()).isEmpty();
    }

    @Test
    void sendsKeepAliveOnlyWhileNoAudioFlows() throws Exception {
        SttStream stream = open(b -> b.keepAliveInterval(Duration.ofMillis(300)));
        FakeDeepgram.Connection connection = fake.nextConnection();

        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        byte[] frame = pcm(640, 7);
        int sent = 0;
        while (System.nanoTime() < until) {
            stream.sendAudio(frame, 0, frame.length);
            sent++;
            Thread.sleep(20);
        }
        for (int i = 0; i < sent; i++) {
            connection.nextFrame(ByteString.class);
        }
        assertThat(connection.nextFrame(String.class)).isEqualTo("{\"type\":\"KeepAlive\"}");
        assertThat(connection.nextFrame(String.class)).isEqualTo("{\"type\":\"KeepAlive\"}");
    }

    @Test
    void finalizesWhenTheUserStopsSpeakingAndMeasuresTimeToFinal() throws Exception {
        SttStream stream = open(b -> b);
        FakeDeepgram.Connection connection = fake.nextConnection();
        sendAndReceive(stream, connection, pcm(640, 1));

        stream.userStoppedSpeaking();

        assertThat(connection.nextFrame(String.class)).isEqualTo("{\"type\":\"Finalize\"}");
        Transcript transcript = listener.next(Transcript.class);
        assertThat(transcript.text()).isEqualTo("finalized words");
        assertThat(transcript.isFinal()).isTrue();
        assertThat(context.recordedMetrics()).singleElement()
                .isInstanceOfSatisfying(Metric.TimeToFirstByte.class, ttfb -> {
                    assertThat(ttfb.source()).isEqualTo("deepgram");
                    assertThat(ttfb.nanos()).isPositive().isLessThan(TimeUnit.SECONDS.toNanos(5));
                });
    }

    @Test
    void closeSendsCloseStreamDeliversTheLastResultAndClosesTheSocket() throws Exception {
        SttStream stream = open(b -> b);
        FakeDeepgram.Connection connection = fake.nextConnection();
        byte[] frame = sendAndReceive(stream, connection, pcm(640, 1));

        stream.close();
        stream.close(); // idempotent
        stream.sendAudio(frame, 0, frame.length); // ignored after close

        assertThat(connection.nextFrame(String.class)).isEqualTo("{\"type\":\"CloseStream\"}");
        assertThat(listener.next(Transcript.class)).isEqualTo(new Transcript("last words", true, "en-US", 0.98));
        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        ((DeepgramSttStream) stream).finished().get(5, TimeUnit.SECONDS);
        assertThat(connection.frames).isEmpty();
        listener.assertQuietFor(100);
    }

    @Test
    void closeGivesUpWaitingAfterTheCloseTimeout() throws Exception {
        fake.ignoreCloseStream = true;
        SttStream stream = open(b -> b.closeTimeout(Duration.ofMillis(200)));
        FakeDeepgram.Connection connection = fake.nextConnection();

        long start = System.nanoTime();
        stream.close();
        assertThat(connection.nextFrame(String.class)).isEqualTo("{\"type\":\"CloseStream\"}");
        ((DeepgramSttStream) stream).finished().get(5, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).as("the socket was cut").isEqualTo(-1);
    }

    @Test
    void reconnectsAfterADropAndReplaysTheAudioSentMeanwhile() throws Exception {
        SttStream stream = open(b -> b.reconnectBackoff(Duration.ofMillis(300)));
        FakeDeepgram.Connection first = fake.nextConnection();
        sendAndReceive(stream, first, pcm(640, 1));

        first.drop();
        assertThat(first.ended.get(5, TimeUnit.SECONDS)).isEqualTo(1000); // the client answered the close
        byte[] during = pcm(640, 2);
        byte[] alsoDuring = pcm(640, 3);
        stream.sendAudio(during, 0, during.length);
        stream.sendAudio(alsoDuring, 0, alsoDuring.length);

        FakeDeepgram.Connection second = fake.nextConnection();
        assertThat(second.request.getUrl()).isEqualTo(first.request.getUrl());
        assertThat(second.nextFrame(ByteString.class)).isEqualTo(ByteString.of(during));
        assertThat(second.nextFrame(ByteString.class)).isEqualTo(ByteString.of(alsoDuring));
        sendAndReceive(stream, second, pcm(640, 4));

        second.send(FakeDeepgram.results("still here", true, true, false));
        assertThat(listener.next(Transcript.class).text()).isEqualTo("still here");
        assertThat(listener.errors()).isEmpty();
        assertThat(context.logger().contains("reconnecting in")).isTrue();
    }

    @Test
    void dropsTheOldestAudioWhenTheReconnectBufferIsFull() throws Exception {
        // 100 ms at 8 kHz is 1600 bytes: five 20 ms frames
        SttStream stream = open(AudioFormat.PCM16_8K, b -> b
                .reconnectBackoff(Duration.ofMillis(400))
                .reconnectBuffer(Duration.ofMillis(100)));
        FakeDeepgram.Connection first = fake.nextConnection();
        first.drop();
        first.ended.get(5, TimeUnit.SECONDS);

        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] frame = pcm(320, 10 + i);
            frames.add(frame);
            stream.sendAudio(frame, 0, frame.length);
        }

        FakeDeepgram.Connection second = fake.nextConnection();
        for (int i = 3; i < 8; i++) {
            assertThat(second.nextFrame(ByteString.class)).as("frame %d", i).isEqualTo(ByteString.of(frames.get(i)));
        }
        assertThat(second.frames.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(context.logger().contains("dropping the oldest")).isTrue();
    }

    @Test
    void failsFatallyAfterTheReconnectAttemptsRunOut() throws Exception {
        fake.dropOnOpen = true;
        open(b -> b.reconnectAttempts(2).reconnectBackoff(Duration.ofMillis(10)));

        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.service()).isEqualTo("deepgram");
        assertThat(error.getMessage()).contains("could not reconnect after 2 attempts").contains("1011");
        assertThat(fake.requestCount()).isEqualTo(3);
        listener.assertQuietFor(300);
        assertThat(fake.requestCount()).isEqualTo(3);
    }

    @Test
    void aConnectionThatDeliveredResultsStartsAFreshCountOfAttempts() throws Exception {
        open(b -> b.reconnectAttempts(1).reconnectBackoff(Duration.ofMillis(10)));
        for (int i = 0; i < 3; i++) {
            FakeDeepgram.Connection connection = fake.nextConnection();
            connection.send(FakeDeepgram.results("take " + i, true, true, false));
            assertThat(listener.next(Transcript.class).text()).isEqualTo("take " + i);
            connection.drop();
        }
        fake.nextConnection();
        assertThat(listener.errors()).isEmpty();
    }

    @Test
    void retriesAServerErrorAtTheHandshake() throws Exception {
        fake.refuseWith = 503;
        SttStream stream = open(b -> b.reconnectAttempts(5).reconnectBackoff(Duration.ofMillis(50)));
        byte[] frame = pcm(640, 5);
        stream.sendAudio(frame, 0, frame.length);
        while (fake.requestCount() < 2) {
            Thread.sleep(10);
        }
        fake.refuseWith = 0;

        FakeDeepgram.Connection connection = fake.nextConnection();
        assertThat(connection.nextFrame(ByteString.class)).isEqualTo(ByteString.of(frame));
        assertThat(listener.errors()).isEmpty();
    }

    @Test
    void badRequestAtTheHandshakeIsFatalWithDeepgramsReason() throws Exception {
        fake.refuseWith = 400;
        open(b -> b.model("nova-9"));

        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("HTTP 400").contains("Bad request: unknown model");
        listener.assertQuietFor(200);
        assertThat(fake.requestCount()).isEqualTo(1);
    }

    @Test
    void rejectedKeyIsFatalAndNeverNamesTheKey() throws Exception {
        ServiceException error = rejectedKey("DEEPGRAM_API_KEY");

        assertThat(error.getMessage())
                .contains("rejected the API key from DEEPGRAM_API_KEY")
                .contains("HTTP 401: Invalid credentials.");
        listener.assertQuietFor(200);
        assertThat(fake.requestCount()).isEqualTo(1); // no retry with a key that was refused
    }

    @Test
    void rejectedKeyReasonComesFromTheBodyWhenTheHeaderIsMissing() throws Exception {
        fake.errorHeader = false;

        ServiceException error = rejectedKey("pipeline.stt.api_key");

        assertThat(error.getMessage())
                .contains("rejected the API key from pipeline.stt.api_key")
                .contains("HTTP 401: INVALID_AUTH: Invalid credentials.");
    }

    @Test
    void malformedMessageIsANonFatalErrorAndTheStreamGoesOn() throws Exception {
        open(b -> b);
        FakeDeepgram.Connection connection = fake.nextConnection();

        connection.send("{\"type\":\"Results\",\"channel\":");
        connection.send("[1,2]");
        connection.send("{\"type\":\"Error\",\"variant\":\"error\",\"description\":\"Failed to process audio\"}");
        connection.send(FakeDeepgram.results("after the noise", true, false, false));

        ServiceException parse = listener.next(ServiceException.class);
        assertThat(parse.fatal()).isFalse();
        assertThat(parse.getMessage()).contains("could not parse a message from Deepgram");
        ServiceException untyped = listener.next(ServiceException.class);
        assertThat(untyped.fatal()).isFalse();
        assertThat(untyped.getMessage()).contains("no type");
        ServiceException legacy = listener.next(ServiceException.class);
        assertThat(legacy.fatal()).isFalse();
        assertThat(legacy.getMessage()).contains("Deepgram reported an error: Failed to process audio");
        assertThat(listener.next(Transcript.class).text()).isEqualTo("after the noise");
    }

    @Test
    void metadataAndUnknownMessagesAreNotEvents() throws Exception {
        open(b -> b);
        FakeDeepgram.Connection connection = fake.nextConnection();

        connection.send(FakeDeepgram.METADATA);
        connection.send("{\"type\":\"SomethingNew\"}");
        connection.send(FakeDeepgram.results("ok", true, false, false));

        assertThat(listener.next(Transcript.class).text()).isEqualTo("ok");
        assertThat(listener.errors()).isEmpty();
    }

    @Test
    void closingTheServiceDropsOpenStreams() throws Exception {
        SttStream stream = open(b -> b);
        FakeDeepgram.Connection connection = fake.nextConnection();

        service.close();

        assertThat(connection.ended.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        ((DeepgramSttStream) stream).finished().get(5, TimeUnit.SECONDS);
        listener.assertQuietFor(100);
    }

    /** Opens a stream with a key the fake refuses; returns the (fatal) error, which must not show the key. */
    private ServiceException rejectedKey(String keySource) throws InterruptedException {
        service = new DeepgramSttService(DeepgramSttConfig.builder(Secret.of("wrong-key-81d3", keySource))
                .url(fake.url()).build(), context);
        service.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), listener);
        ServiceException error = listener.next(ServiceException.class);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).doesNotContain("wrong-key-81d3");
        return error;
    }

    private SttStream open(UnaryOperator<DeepgramSttConfig.Builder> settings) {
        return open(AudioFormat.PCM16_16K, settings);
    }

    private SttStream open(AudioFormat format, UnaryOperator<DeepgramSttConfig.Builder> settings) {
        DeepgramSttConfig config = settings.apply(DeepgramSttConfig.builder(Secret.of(FakeDeepgram.KEY, "DEEPGRAM_API_KEY"))
                .url(fake.url())).build();
        service = new DeepgramSttService(config, context);
        return service.openStream(new SttStreamSpec(format, "call-1"), listener);
    }

    /** Sends {@code frame} and checks that the server got it as one binary frame. */
    private static byte[] sendAndReceive(SttStream stream, FakeDeepgram.Connection connection, byte[] frame)
            throws InterruptedException {
        stream.sendAudio(frame, 0, frame.length);
        assertThat(connection.nextFrame(ByteString.class)).isEqualTo(ByteString.of(frame));
        return frame;
    }

    /** {@code length} bytes of recognisable PCM. */
    private static byte[] pcm(int length, int seed) {
        byte[] pcm = new byte[length];
        for (int i = 0; i < length; i++) {
            pcm[i] = (byte) (seed * 31 + i);
        }
        return pcm;
    }
}
