package ai.piopiy.plugin.llmhttp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation being written as turns of content parts, for the APIs where consecutive messages of
 * one role form a single turn (Anthropic's content blocks, Gemini's parts) and where a conversation
 * must open with the user. Used on one thread, while one request body is written.
 */
public final class Turns {

    /** The text of the user turn put before a bot's opening words (or alone, when the bot is to speak first). */
    public static final String CALL_STARTED = "(the call has started)";

    /** One turn: its role as the API names it, and its parts in order. */
    public record Turn(String role, ArrayNode parts) {
        public Turn {
            requireNonNull(role, "role is null");
            requireNonNull(parts, "parts is null");
        }
    }

    private final List<Turn> turns = new ArrayList<>();

    /** The parts of the last turn when it is {@code role}'s, else of a new turn of that role. */
    public ArrayNode of(String role) {
        if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
            return turns.getLast().parts();
        }
        Turn turn = new Turn(role, JsonNodeFactory.instance.arrayNode());
        turns.add(turn);
        return turn.parts();
    }

    /**
     * Puts a turn of {@code role} holding {@code part} in front, unless the conversation already opens
     * with that role: a call where the bot greets first, or a request of instructions alone, has none.
     */
    public void openWith(String role, JsonNode part) {
        if (turns.isEmpty() || !turns.getFirst().role().equals(role)) {
            Turn opening = new Turn(role, JsonNodeFactory.instance.arrayNode());
            opening.parts().add(part);
            turns.addFirst(opening);
        }
    }

    public List<Turn> list() {
        return List.copyOf(turns);
    }
}
