package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * OpenAI's speech endpoint ({@code POST /v1/audio/speech}, {@code "response_format": "pcm"}): the
 * {@code input}'s audio as headerless 24 kHz PCM16 in a chunked body, 100 ms a chunk.
 */
public final class FakeOpenAiSpeech extends FakeTtsHttpServer {

    private static final int RATE = 24_000;

    public FakeOpenAiSpeech(double hz) {
        super(hz);
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
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "audio/pcm")
                .chunkedBody(new Buffer().write(voice.speak(input, RATE)), RATE / 10 * 2).build();
    }

}
