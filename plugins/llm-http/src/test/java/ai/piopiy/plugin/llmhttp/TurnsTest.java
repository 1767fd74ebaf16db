package ai.piopiy.plugin.llmhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class TurnsTest {

    @Test
    void consecutivePartsOfOneRoleShareATurnAndTheUserOpens() {
        Turns turns = new Turns();
        turns.of("model").add("Hello!");
        turns.of("user").add("Hi");
        turns.of("user").add("Anyone?");
        turns.openWith("user", TextNode.valueOf(Turns.CALL_STARTED));

        assertThat(turns.list()).extracting(Turns.Turn::role).containsExactly("user", "model", "user");
        assertThat(turns.list().get(2).parts()).containsExactly(TextNode.valueOf("Hi"), TextNode.valueOf("Anyone?"));

        turns.openWith("user", TextNode.valueOf("again"));
        assertThat(turns.list()).hasSize(3);
    }

    @Test
    void chatJsonWantsAnObject() {
        assertThat(ChatJson.object("{\"a\":1}", "x")).isEqualTo(JsonNodeFactory.instance.objectNode().put("a", 1));
        assertThatThrownBy(() -> ChatJson.object("[]", "tool t parameters")).hasMessage("tool t parameters must be a JSON object");
        assertThatThrownBy(() -> ChatJson.object("{", "tool call t arguments")).hasMessageStartingWith("tool call t arguments are not valid JSON (");
    }
}
