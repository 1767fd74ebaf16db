package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * OpenAI's speech endpoint ({@code POST /v1/audio/speech}, {@code "response_format": "pcm"}): the
 * {@code input}'s audio as headerless 24 kHz PCM16 in a chunked body, 100 ms a chunk.
 */
public final class FakeOpenAiSpeech extends FakeHttpServer {

    private static final int RATE = 24_000;

    private final double hz;
    private final List<String> spoken = new CopyOnWriteArrayList<>();

    public FakeOpenAiSpeech(double hz) {
        this.hz = hz;
    }

    public double hz() {
        return hz;
    }

    /** The {@code base_url} setting of the provider. */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    @Override
    protected MockResponse answer(RecordedRequest request) {
        if (!request.getMethod().equals("POST") || !request.getUrl().encodedPath().equals("/v1/audio/speech")) {
            return openAiError(404, "no such endpoint: " + request.getRequestLine());
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return openAiError(400, "the body is not JSON");
        }
        if (!body.path("response_format").asText().equals("pcm")) {
            return openAiError(400, "expected response_format pcm");
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
}
