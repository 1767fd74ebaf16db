package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * OpenAI's speech endpoint ({@code POST /v1/audio/speech}, {@code "response_format": "pcm"}): the
 * {@code input}'s audio as headerless 24 kHz PCM16, in chunks of 100 ms.
 */
public final class FakeOpenAiSpeech implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 24_000;

    private final MockWebServer server = new MockWebServer();
    private final double hz;
    private final List<String> spoken = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    public FakeOpenAiSpeech(double hz) {
        this.hz = hz;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code base_url} setting of the {@code openai-tts} provider. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/v1";
    }

    public double hz() {
        return hz;
    }

    private MockResponse answer(RecordedRequest request) {
        if (!request.getMethod().equals("POST") || !request.getUrl().encodedPath().equals("/v1/audio/speech")) {
            return new MockResponse.Builder().code(404).body("{\"error\":{\"message\":\"no such endpoint\"}}").build();
        }
        authorizations.add(request.getHeaders().get("Authorization"));
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"not JSON\"}}").build();
        }
        if (!body.path("response_format").asText().equals("pcm")) {
            return new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"expected response_format pcm\"}}").build();
        }
        String input = body.path("input").asText();
        spoken.add(input.strip());
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "audio/pcm")
                .chunkedBody(new Buffer().write(Tone.forWords(input, hz, RATE)), RATE / 10 * 2).build();
    }

    /** The inputs it was asked to speak, in order. */
    public List<String> spoken() {
        return List.copyOf(spoken);
    }

    /** The {@code Authorization} header of each request. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.close();
    }
}
