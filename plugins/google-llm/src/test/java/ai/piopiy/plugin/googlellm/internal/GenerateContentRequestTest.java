package ai.piopiy.plugin.googlellm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.googlellm.GoogleLlmConfig;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateContentRequestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final GoogleLlmConfig CONFIG = GoogleLlmConfig.of(Secret.of("k"));

    private static JsonNode body(GoogleLlmConfig config, LlmMessage... messages) throws Exception {
        return MAPPER.readTree(GenerateContentRequest.body(config, new LlmRequest(List.of(messages), List.of()), new ThoughtSignatures(8)));
    }

    private static JsonNode contents(LlmMessage... messages) throws Exception {
        return body(CONFIG, messages).get("contents");
    }

    @Test
    void aBotGreetingFirstGetsAUserTurnBeforeIt() throws Exception {
        assertThat(contents(LlmMessage.system("Be brief."), LlmMessage.assistant("Hello! How can I help?"), LlmMessage.user("Hi")))
                .isEqualTo(MAPPER.readTree("""
                        [{"role":"user","parts":[{"text":"(the call has started)"}]},
                         {"role":"model","parts":[{"text":"Hello! How can I help?"}]},
                         {"role":"user","parts":[{"text":"Hi"}]}]"""));
    }

    @Test
    void everySystemMessageIsAPartOfTheInstructions() throws Exception {
        JsonNode body = body(CONFIG, LlmMessage.system("Greet the caller."), LlmMessage.system("Their name is Ada."));
        assertThat(body.get("systemInstruction")).isEqualTo(MAPPER.readTree(
                "{\"parts\":[{\"text\":\"Greet the caller.\"},{\"text\":\"Their name is Ada.\"}]}"));
        assertThat(body.get("contents")).isEqualTo(MAPPER.readTree(
                "[{\"role\":\"user\",\"parts\":[{\"text\":\"(the call has started)\"}]}]"));
    }

    @Test
    void consecutiveWordsOfOneRoleBecomeOneTurnAndEmptyOnesAreLeftOut() throws Exception {
        assertThat(contents(LlmMessage.user("Hello?"), LlmMessage.user(" "), LlmMessage.user("Are you there?"), LlmMessage.assistant("")))
                .isEqualTo(MAPPER.readTree("""
                        [{"role":"user","parts":[{"text":"Hello?"},{"text":"Are you there?"}]}]"""));
    }

    @Test
    void toolResultsThatAreNotObjectsGoUnderOutput() throws Exception {
        ToolCall a = new ToolCall("gemini-call-1", "a", "{}");
        ToolCall b = new ToolCall("gemini-call-2", "b", "{}");
        ToolCall c = new ToolCall("gemini-call-3", "c", "{}");
        JsonNode contents = contents(LlmMessage.user("go"), new LlmMessage.AssistantMessage("", List.of(a, b, c)),
                new LlmMessage.ToolResultMessage("gemini-call-3", "c", "not json"),
                new LlmMessage.ToolResultMessage("gemini-call-2", "b", "[1,2]"),
                new LlmMessage.ToolResultMessage("gemini-call-1", "a", "42"));
        assertThat(contents.get(2)).isEqualTo(MAPPER.readTree("""
                {"role":"user","parts":[
                  {"functionResponse":{"name":"a","response":{"output":42}}},
                  {"functionResponse":{"name":"b","response":{"output":[1,2]}}},
                  {"functionResponse":{"name":"c","response":{"output":"not json"}}}]}"""));
    }

    @Test
    void generationConfigCarriesTheThinkingBudgetWhenSet() throws Exception {
        assertThat(body(CONFIG.withThinkingBudget(0), LlmMessage.user("hi")).get("generationConfig")).isEqualTo(MAPPER.readTree(
                "{\"temperature\":0.7,\"maxOutputTokens\":1000,\"thinkingConfig\":{\"thinkingBudget\":0}}"));
    }

    @Test
    void aSchemaThatIsNotAnObjectIsRefused() {
        LlmRequest request = new LlmRequest(List.of(LlmMessage.user("hi")), List.of(new ToolDefinition("t", "d", "[]")));
        assertThatThrownBy(() -> GenerateContentRequest.body(CONFIG, request, new ThoughtSignatures(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool t parameters must be a JSON object");
    }

    @Test
    void signaturesAreForgottenOldestFirstPastTheirBound() {
        ThoughtSignatures signatures = new ThoughtSignatures(2);
        signatures.remember("1", "s1");
        signatures.remember("2", "s2");
        signatures.remember("3", "s3");
        assertThat(signatures.of("1")).isEmpty();
        assertThat(signatures.of("3")).hasValue("s3");
    }
}
