package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * AssemblyAI's Universal Streaming socket ({@code /v3/ws}): {@code Begin} on connect, a formatted
 * end-of-turn {@code Turn} per caller turn, and {@code Termination} then a close after
 * {@code Terminate}.
 */
public final class FakeAssemblyAi extends FakeSttServer {

    private int turnOrder;

    public FakeAssemblyAi(List<String> transcripts) {
        super(transcripts);
    }

    /** The {@code url} setting of the {@code assemblyai} provider. */
    public String url() {
        return baseUrl() + "/v3/ws";
    }

    @Override
    protected void opened(Connection connection) {
        connection.send("{\"type\":\"Begin\",\"id\":\"de5d9927-73a6-4be8-b52d-b4c07be37e6b\",\"expires_at\":1759796682}");
    }

    @Override
    protected synchronized String finalResult(String transcript) {
        ArrayNode words = JSON.createArrayNode();
        String[] split = transcript.split(" ");
        for (int i = 0; i < split.length; i++) {
            words.addObject().put("start", 400 * i).put("end", 400 * i + 350).put("text", split[i])
                    .put("confidence", 0.9).put("word_is_final", true);
        }
        return JSON.createObjectNode()
                .put("type", "Turn").put("turn_order", turnOrder++).put("turn_is_formatted", true).put("end_of_turn", true)
                .put("transcript", transcript).put("end_of_turn_confidence", 0.91).put("utterance", "")
                .set("words", words).toString();
    }

    @Override
    protected void text(Connection connection, JsonNode message) {
        if (message.path("type").asText().equals("Terminate")) {
            connection.send("{\"type\":\"Termination\",\"audio_duration_seconds\":12,\"session_duration_seconds\":14}");
            connection.close(1000, "done");
        }
    }
}
