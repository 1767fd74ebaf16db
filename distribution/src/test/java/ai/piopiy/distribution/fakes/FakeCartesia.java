package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;

/**
 * Cartesia's TTS socket: each generation request's transcript is answered with base64 {@code chunk}
 * frames of 20 ms at the requested rate for its context, and {@code done} once the context ends
 * ({@code "continue": false}).
 */
public final class FakeCartesia extends FakeTtsSocketServer {

    public FakeCartesia(double hz) {
        super(hz);
    }

    @Override
    protected void text(Connection connection, JsonNode message) {
        String context = message.path("context_id").asText();
        if (message.path("cancel").asBoolean()) {
            return;
        }
        String transcript = message.path("transcript").asText();
        if (!transcript.isBlank()) {
            int rate = message.path("output_format").path("sample_rate").asInt();
            byte[] pcm = voice.speak(transcript, rate);
            int chunk = rate / 50 * 2;
            for (int off = 0; off < pcm.length; off += chunk) {
                byte[] piece = Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + chunk));
                connection.send(JSON.createObjectNode().put("type", "chunk").put("context_id", context).put("status_code", 206)
                        .put("done", false).put("data", Base64.getEncoder().encodeToString(piece)).toString());
            }
        }
        if (!message.path("continue").asBoolean()) {
            connection.send(JSON.createObjectNode().put("type", "done").put("context_id", context).put("status_code", 206)
                    .put("done", true).toString());
        }
    }
}
