package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Deepgram's live listen socket ({@code /v1/listen}): a {@code Results} message with
 * {@code is_final} and {@code speech_final} per caller turn; {@code CloseStream} is answered with
 * {@code Metadata} and a close, as Deepgram ends a stream.
 */
public final class FakeDeepgramStt extends FakeSttServer {

    public FakeDeepgramStt(List<String> transcripts) {
        super(transcripts);
    }

    /** The {@code url} setting of the {@code deepgram} provider. */
    public String url() {
        return baseUrl() + "/v1/listen";
    }

    @Override
    protected String finalResult(String transcript) {
        return JSON.createObjectNode()
                .put("type", "Results").put("duration", 2.1).put("start", 0.5)
                .put("is_final", true).put("speech_final", true).put("from_finalize", false)
                .set("channel", JSON.createObjectNode().set("alternatives", JSON.createArrayNode().add(JSON.createObjectNode()
                        .put("transcript", transcript).put("confidence", 0.97).set("words", JSON.createArrayNode()))))
                .toString();
    }

    @Override
    protected void text(Connection connection, JsonNode message) {
        if (message.path("type").asText().equals("CloseStream")) {
            connection.send("{\"type\":\"Metadata\",\"request_id\":\"r1\",\"duration\":4.2,\"channels\":1}");
            connection.close(1000, "done");
        }
    }
}
