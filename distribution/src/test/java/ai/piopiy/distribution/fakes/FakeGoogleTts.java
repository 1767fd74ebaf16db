package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Google Cloud Text-to-Speech's REST method ({@code POST /v1/text:synthesize}, {@code LINEAR16}):
 * the input's audio as a base64 WAV file in {@code audioContent}, at the {@code sampleRateHertz} asked for.
 */
public final class FakeGoogleTts extends FakeTtsHttpServer {

    public FakeGoogleTts(double hz) {
        super(hz);
    }

    /** The {@code endpoint} setting of the {@code google-tts} provider. */
    public String endpoint() {
        return rootUrl();
    }

    @Override
    protected MockResponse answer(RecordedRequest request) {
        if (!request.getMethod().equals("POST") || !request.getUrl().encodedPath().equals("/v1/text:synthesize")) {
            return googleError(404, "NOT_FOUND", "no such method: " + request.getRequestLine());
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return googleError(400, "INVALID_ARGUMENT", "the body is not JSON");
        }
        if (!body.path("audioConfig").path("audioEncoding").asText().equals("LINEAR16")) {
            return googleError(400, "INVALID_ARGUMENT", "expected audioEncoding LINEAR16");
        }
        String text = body.path("input").path("text").asText();
        int rate = body.path("audioConfig").path("sampleRateHertz").asInt(24_000);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json; charset=UTF-8")
                .body(JSON.createObjectNode().put("audioContent", Base64.getEncoder().encodeToString(wav(voice.speak(text, rate), rate)))
                        .toString())
                .build();
    }

    private static byte[] wav(byte[] pcm, int rate) {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length).put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return b.array();
    }

    private static MockResponse googleError(int code, String status, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(JSON.createObjectNode()
                .set("error", JSON.createObjectNode().put("code", code).put("message", message).put("status", status)).toString()).build();
    }

}
