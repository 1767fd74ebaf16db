package ai.piopiy.plugin.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.anthropic.AnthropicLlmConfig;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesRequestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AnthropicLlmConfig CONFIG = AnthropicLlmConfig.of(Secret.of("k"));

    private static JsonNode messages(LlmMessage... messages) throws Exception {
        return MAPPER.readTree(MessagesRequest.body(CONFIG, new LlmRequest(List.of(messages), List.of()))).get("messages");
    }

    @Test
    void aBotGreetingFirstGetsAUserTurnBeforeIt() throws Exception {
        assertThat(messages(LlmMessage.system("Be brief."), LlmMessage.assistant("Hello! How can I help?"), LlmMessage.user("Hi")))
                .isEqualTo(MAPPER.readTree("""
                        [{"role":"user","content":"(the call has started)"},
                         {"role":"assistant","content":"Hello! How can I help?"},
                         {"role":"user","content":"Hi"}]"""));
    }

    @Test
    void instructionsAloneStillMakeAValidConversation() throws Exception {
        assertThat(messages(LlmMessage.system("Greet the caller.")))
                .isEqualTo(MAPPER.readTree("[{\"role\":\"user\",\"content\":\"(the call has started)\"}]"));
    }

    @Test
    void consecutiveUserWordsBecomeOneTurnOfBlocks() throws Exception {
        assertThat(messages(LlmMessage.user("Hello?"), LlmMessage.user(" "), LlmMessage.user("Are you there?")))
                .isEqualTo(MAPPER.readTree("""
                        [{"role":"user","content":[{"type":"text","text":"Hello?"},{"type":"text","text":"Are you there?"}]}]"""));
    }

    @Test
    void aSchemaThatIsNotAnObjectIsRefused() {
        LlmRequest request = new LlmRequest(List.of(LlmMessage.user("hi")), List.of(new ToolDefinition("t", "d", "[]")));
        assertThatThrownBy(() -> MessagesRequest.body(CONFIG, request))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool t parameters must be a JSON object");
    }
}
