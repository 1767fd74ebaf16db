package ai.piopiy.plugin.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmMessage.ToolResultMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptedLlmServiceTest {

    private static final List<ScriptedRule> RULES = List.of(
            ScriptedRule.reply("^$", "Welcome to the demo line."),
            ScriptedRule.reply("book .*table for (\\w+)", "Done, a table for {match.1} is booked."),
            ScriptedRule.tool("weather in (\\w+)", "get_weather", "{\"city\":\"{match.1}\",\"units\":[\"C\"]}",
                    "It is {result.temperature} degrees and {result.sky.summary} in {match.1}."),
            ScriptedRule.tool("balance", "get_balance", "{}", "Your balance is {result.amount}."));

    private final RecordingProviderContext context = new RecordingProviderContext("scripted");
    private final ScriptedLlmService service = new ScriptedLlmService(
            new ScriptedLlmConfig(RULES, "Sorry, I did not get that.", Duration.ofMillis(20), Duration.ofMillis(2)), context);

    @AfterEach
    void close() {
        service.close();
        context.close();
    }

    @Test
    void theFirstMatchingRuleAnswersAsStreamedWordTokens() throws InterruptedException {
        RecordingLlmListener listener = new RecordingLlmListener();
        service.stream(request(LlmMessage.system("Be brief."), LlmMessage.user("I would like to BOOK a table for two tonight")),
                listener);

        List<Object> events = listener.untilTerminal();

        List<Object> text = events.stream().filter(e -> e instanceof String && e != RecordingLlmListener.COMPLETE).toList();
        assertThat(text).containsExactly("Done,", " a", " table", " for", " two", " is", " booked.");
        assertThat(events.subList(text.size(), events.size()))
                .containsExactly(new TokenUsage(12, 7), RecordingLlmListener.COMPLETE);
        assertThat(listener.events.overlapped()).isFalse();
        assertThat(context.recordedMetrics()).hasSize(2);
        assertThat(context.recordedMetrics().get(0)).isInstanceOfSatisfying(Metric.TimeToFirstByte.class,
                ttfb -> assertThat(ttfb.nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos()));
        assertThat(context.recordedMetrics().get(1)).isEqualTo(new Metric.LlmTokenUsage("scripted", "scripted", 12, 7));
    }

    @Test
    void noMatchSaysTheFallback() throws InterruptedException {
        RecordingLlmListener listener = new RecordingLlmListener();
        service.stream(request(LlmMessage.user("sing me a song")), listener);

        assertThat(text(listener.untilTerminal())).isEqualTo("Sorry, I did not get that.");
    }

    @Test
    void aConversationWithoutUserWordsMatchesAsEmptyText() throws InterruptedException {
        RecordingLlmListener listener = new RecordingLlmListener();
        service.stream(request(LlmMessage.system("You are a demo.")), listener);

        assertThat(text(listener.untilTerminal())).isEqualTo("Welcome to the demo line.");
    }

    @Test
    void aToolRuleCallsTheToolThenRendersTheReplyFromItsResult() throws InterruptedException {
        RecordingLlmListener first = new RecordingLlmListener();
        List<LlmMessage> messages = new ArrayList<>(List.of(LlmMessage.user("what is the weather in london")));
        service.stream(request(messages.toArray(LlmMessage[]::new)), first);

        List<Object> events = first.untilTerminal();
        assertThat(events).hasSize(3);
        ToolCall call = (ToolCall) events.get(0);
        assertThat(call.id()).startsWith("scripted_call_");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.argumentsJson()).isEqualTo("{\"city\":\"london\",\"units\":[\"C\"]}");
        assertThat(events.get(1)).isEqualTo(new TokenUsage(6, 2));
        assertThat(events.get(2)).isEqualTo(RecordingLlmListener.COMPLETE);

        messages.add(new LlmMessage.AssistantMessage("", List.of(call)));
        messages.add(new ToolResultMessage(call.id(), "get_weather", "{\"temperature\": 14.5, \"sky\": {\"summary\": \"light rain\"}}"));
        RecordingLlmListener second = new RecordingLlmListener();
        service.stream(request(messages.toArray(LlmMessage[]::new)), second);

        assertThat(text(second.untilTerminal())).isEqualTo("It is 14.5 degrees and light rain in london.");
    }

    @Test
    void aResultWithoutTheTemplatesFieldIsAnErrorNamingIt() throws InterruptedException {
        RecordingLlmListener listener = new RecordingLlmListener();
        service.stream(request(LlmMessage.user("my balance please"),
                new ToolResultMessage("c1", "get_balance", "{\"error\": \"account locked\"}")), listener);

        List<Object> events = listener.untilTerminal();

        assertThat(events).singleElement().isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(
                    "scripted: rule 'balance': the tool result has no value for {result.amount} (tool get_balance)");
            assertThat(e.fatal()).isFalse();
        });
    }

    @Test
    void cancelMidStreamStopsEveryCallback() throws InterruptedException {
        ScriptedLlmService slow = new ScriptedLlmService(
                new ScriptedLlmConfig(RULES, "one two three four five six seven eight nine ten", Duration.ZERO,
                        Duration.ofMillis(30)), context);
        RecordingLlmListener listener = new RecordingLlmListener();
        LlmStream stream = slow.stream(request(LlmMessage.user("anything")), listener);

        assertThat(listener.next()).isEqualTo("one");
        assertThat(listener.next()).isEqualTo(" two");
        stream.cancel();
        stream.cancel();
        int delivered = listener.events.recorded();

        listener.events.assertNothingAfter(delivered, 200);
    }

    @Test
    void closingTheServiceCancelsStreamsInFlight() throws InterruptedException {
        RecordingLlmListener listener = new RecordingLlmListener();
        ScriptedLlmService slow = new ScriptedLlmService(
                new ScriptedLlmConfig(RULES, "never heard", Duration.ofMillis(100), Duration.ZERO), context);
        slow.stream(request(LlmMessage.user("anything")), listener);

        slow.close();

        listener.events.assertNothingAfter(0, 250);
    }

    private static LlmRequest request(LlmMessage... messages) {
        return new LlmRequest(List.of(messages), List.of());
    }

    private static String text(List<Object> events) {
        assertThat(events.getLast()).isEqualTo(RecordingLlmListener.COMPLETE);
        StringBuilder out = new StringBuilder();
        events.stream().filter(e -> e instanceof String && e != RecordingLlmListener.COMPLETE).forEach(out::append);
        return out.toString();
    }
}
