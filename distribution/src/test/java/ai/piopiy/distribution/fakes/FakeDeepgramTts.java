package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import okio.ByteString;

/**
 * Deepgram's speak socket ({@code /v1/speak}, linear16): the {@code Speak} texts since the last
 * {@code Flush} are answered at the flush, as binary audio at the handshake's {@code sample_rate},
 * then {@code Flushed}; {@code Clear} drops them and is answered with {@code Cleared}.
 */
public final class FakeDeepgramTts extends FakeTtsSocketServer {

    private final List<String> buffered = new ArrayList<>();
    private int sequence;

    public FakeDeepgramTts(double hz) {
        super(hz);
    }

    @Override
    protected void opened(Connection connection) {
        connection.send("{\"type\":\"Metadata\",\"request_id\":\"4c3d1a6e\",\"model_name\":\"aura-2-helena-en\","
                + "\"model_version\":\"2025-04-07.0\",\"model_uuid\":\"m1\"}");
    }

    @Override
    protected synchronized void text(Connection connection, JsonNode message) {
        switch (message.path("type").asText()) {
            case "Speak" -> buffered.add(message.path("text").asText());
            case "Flush" -> {
                for (String text : buffered) {
                    connection.send(ByteString.of(voice.speak(text, connection.intParameter("sample_rate"))));
                }
                buffered.clear();
                connection.send("{\"type\":\"Flushed\",\"sequence_id\":" + sequence++ + "}");
            }
            case "Clear" -> {
                buffered.clear();
                connection.send("{\"type\":\"Cleared\",\"sequence_id\":" + sequence++ + "}");
            }
            case "Close" -> connection.close(1000, "");
            default -> throw new AssertionError("unexpected message " + message);
        }
    }
}
