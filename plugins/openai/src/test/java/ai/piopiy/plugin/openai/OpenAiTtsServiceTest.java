package ai.piopiy.plugin.openai;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.testing.SseBodies;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.plugin.ttswebsocket.testing.PcmBodies;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The openai-tts provider against a local server speaking OpenAI's speech API with raw PCM bodies. */
class OpenAiTtsServiceTest {

    private static final String KEY = "sk-test-tts-0123456789SECRET";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MockWebServer server;
    private TestingProviderContext context;
    private OpenAiTtsService service;
    private final Listener listener = new Listener();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        context = new TestingProviderContext();
        OpenAiEndpoint endpoint = new OpenAiEndpoint(server.url("/v1").toString(), Optional.of(Secret.of(KEY)));
        service = new OpenAiTtsService(OpenAiTtsConfig.defaults(endpoint).withVoice("coral"), context);
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
        context.close();
    }

    private static byte[] pcm(int bytes, int seed) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (i * 31 + seed);
        }
        return out;
    }

    @Test
    void speaksEachPieceAsItsOwnRequestInOrderAndDeliversTheBodyAsItArrives() throws Exception {
        byte[] first = pcm(9002, 1);
        byte[] second = pcm(4800, 2);
        server.enqueue(PcmBodies.chunked("audio/pcm", List.of(Arrays.copyOfRange(first, 0, 1001), Arrays.copyOfRange(first, 1001, 1004),
                Arrays.copyOfRange(first, 1004, 9002))));
        server.enqueue(PcmBodies.chunked("audio/pcm", List.of(second)));

        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_24K, "call-1").startUtterance(listener);
        utterance.sendText("Hello there.");
        utterance.sendText("How can I help?");
        utterance.finish();
        listener.awaitTerminal();

        assertThat(listener.audio.toByteArray()).as("byte-exact at the API's own 24 kHz").isEqualTo(concat(first, second));
        assertThat(listener.chunks).as("delivered piece by piece, not as one body").isGreaterThan(2);
        assertThat(listener.events).last().isEqualTo("done");
        assertThat(listener.events).doesNotContain("error");

        RecordedRequest one = server.takeRequest();
        assertThat(one.getUrl().encodedPath()).isEqualTo("/v1/audio/speech");
        assertThat(one.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = MAPPER.readTree(one.getBody().utf8());
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini-tts");
        assertThat(body.get("input").asText()).isEqualTo("Hello there.");
        assertThat(body.get("voice").asText()).isEqualTo("coral");
        assertThat(body.get("response_format").asText()).isEqualTo("pcm");
        assertThat(body.get("speed").asDouble()).isEqualTo(1.0);
        assertThat(body.has("instructions")).isFalse();
        assertThat(MAPPER.readTree(server.takeRequest().getBody().utf8()).get("input").asText()).isEqualTo("How can I help?");

        assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class)
                .contains(new Metric.TtsCharacters("openai-tts", 12), new Metric.TtsCharacters("openai-tts", 15));
    }

    @Test
    void resamplesToTheCallsRate() throws Exception {
        server.enqueue(PcmBodies.chunked("audio/pcm", List.of(new byte[24_000], new byte[24_000]))); // 1 s at 24 kHz
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_8K, "call-1").startUtterance(listener);
        utterance.sendText("One second.");
        utterance.finish();
        listener.awaitTerminal();

        assertThat(listener.events).last().isEqualTo("done");
        assertThat(listener.audio.size()).as("about 1 s at 8 kHz").isBetween(2 * 7_900, 2 * 8_000);
    }

    @Test
    void cancelClosesTheConnectionDropsPendingPiecesAndSilencesTheListener() throws Exception {
        PcmBodies.Endless endless = new PcmBodies.Endless("audio/pcm");
        server.enqueue(endless.response());
        server.enqueue(PcmBodies.chunked("audio/pcm", List.of(pcm(100, 3))));
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_24K, "call-1").startUtterance(listener);
        utterance.sendText("A long first sentence.");
        utterance.sendText("Never spoken.");
        utterance.finish();
        assertThat(listener.firstAudio.await(5, TimeUnit.SECONDS)).isTrue();

        utterance.cancel();
        int delivered = listener.events.size();
        utterance.cancel();

        assertThat(endless.clientClosed().await(5, TimeUnit.SECONDS)).as("the server saw the client close the body").isTrue();
        Thread.sleep(150);
        assertThat(listener.events).hasSize(delivered).doesNotContain("done").noneMatch(e -> e.startsWith("error"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void closingTheSessionCancelsItsUtterance() throws Exception {
        PcmBodies.Endless endless = new PcmBodies.Endless("audio/pcm");
        server.enqueue(endless.response());
        TtsSession session = service.openSession(AudioFormat.PCM16_24K, "call-1");
        session.startUtterance(listener).sendText("Hello.");
        assertThat(listener.firstAudio.await(5, TimeUnit.SECONDS)).isTrue();
        session.close();
        assertThat(endless.clientClosed().await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aRejectedKeyIsOneFatalErrorWithoutTheKeyAndStopsTheUtterance() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")
                .build());
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_24K, "call-1").startUtterance(listener);
        utterance.sendText("First.");
        utterance.sendText("Second.");
        utterance.finish();
        listener.awaitTerminal();
        Thread.sleep(100);

        assertThat(listener.errors).singleElement().satisfies(e -> {
            assertThat(e.fatal()).isTrue();
            assertThat(e.getMessage()).contains("HTTP 401", "Incorrect API key", "invalid_api_key").doesNotContain(KEY);
        });
        assertThat(listener.events).doesNotContain("done");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aServerErrorCarriesTheProvidersMessage() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Invalid value for 'voice'.\",\"type\":\"invalid_request_error\",\"param\":\"voice\",\"code\":\"invalid_value\"}}")
                .build());
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_24K, "call-1").startUtterance(listener);
        utterance.sendText("Hi.");
        utterance.finish();
        listener.awaitTerminal();

        assertThat(listener.errors).singleElement().satisfies(e -> {
            assertThat(e.fatal()).isFalse();
            assertThat(e.getMessage()).contains("HTTP 400", "Invalid value for 'voice'.", "invalid_value");
        });
    }

    @Test
    void aDroppedConnectionIsAnError() throws Exception {
        server.enqueue(SseBodies.droppedHalfway(new String(new char[4000])));
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_24K, "call-1").startUtterance(listener);
        utterance.sendText("Hi.");
        utterance.finish();
        listener.awaitTerminal();

        assertThat(listener.errors).singleElement().satisfies(e ->
                assertThat(e.getMessage()).contains("failed while speaking").doesNotContain(KEY));
        assertThat(listener.events).doesNotContain("done");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static final class Listener implements TtsListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<ServiceException> errors = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final CountDownLatch firstAudio = new CountDownLatch(1);
        final CountDownLatch terminal = new CountDownLatch(1);
        volatile int chunks;

        @Override
        public synchronized void onAudio(byte[] pcm) {
            audio.writeBytes(pcm);
            chunks++;
            events.add("audio:" + pcm.length);
            firstAudio.countDown();
        }

        @Override
        public void onDone() {
            events.add("done");
            terminal.countDown();
        }

        @Override
        public void onError(ServiceException error) {
            errors.add(error);
            events.add("error:" + error.getMessage());
            terminal.countDown();
        }

        void awaitTerminal() throws InterruptedException {
            assertThat(terminal.await(5, TimeUnit.SECONDS)).as("a terminal callback").isTrue();
        }
    }
}
