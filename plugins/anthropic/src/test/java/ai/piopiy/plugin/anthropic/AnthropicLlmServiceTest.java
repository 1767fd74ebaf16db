package ai.piopiy.plugin.anthropic;

import static ai.piopiy.plugin.llmhttp.testing.SseBodies.error;
import static ai.piopiy.plugin.llmhttp.testing.SseBodies.sse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.plugin.llmhttp.testing.RecordingListener;
import ai.piopiy.plugin.llmhttp.testing.SseBodies;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The anthropic provider against a local server speaking the Messages streaming protocol. */
class AnthropicLlmServiceTest {

    private static final String KEY = "sk-ant-api03-test-SECRET-value";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));

    private static final String MESSAGE_START = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_4QpJur2d","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":1}}}

            """;
    private static final String TEXT_STREAM = MESSAGE_START + """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there!"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private MockWebServer server;
    private TestingProviderContext context;
    private AnthropicLlmService service;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        context = new TestingProviderContext();
        service = new AnthropicLlmService(AnthropicLlmConfig.of(Secret.of(KEY))
                .withBaseUrl(server.url("/").toString()).withRetry(FAST_RETRY), context);
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
        context.close();
    }

    private static LlmRequest hello() {
        return new LlmRequest(List.of(LlmMessage.system("Be brief."), LlmMessage.user("Hi")), List.of());
    }

    private RecordingListener run(LlmRequest request) throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        service.stream(request, listener);
        return listener.awaitTerminal();
    }

    @Test
    void streamsTextIgnoresPingsAndReportsUsage() throws Exception {
        server.enqueue(sse(TEXT_STREAM));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).containsExactly("Hello", " there!", new TokenUsage(11, 6), RecordingListener.Terminal.COMPLETE);
        assertThat(context.recordedMetrics()).hasSize(2);
        assertThat(context.recordedMetrics().get(0)).isInstanceOfSatisfying(Metric.TimeToFirstByte.class,
                ttfb -> assertThat(ttfb.source()).isEqualTo("anthropic"));
        assertThat(context.recordedMetrics().get(1)).isEqualTo(new Metric.LlmTokenUsage("anthropic", "claude-sonnet-4-5", 11, 6));
    }

    @Test
    void sendsTheDocumentedRequest() throws Exception {
        server.enqueue(sse(TEXT_STREAM));
        LlmRequest request = new LlmRequest(List.of(
                LlmMessage.system("You are a phone agent."),
                LlmMessage.system("Be brief."),
                LlmMessage.user("Weather and time in Paris?"),
                new LlmMessage.AssistantMessage("Checking.", List.of(
                        new ToolCall("toolu_01A", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("toolu_01B", "get_time", "{}"))),
                new LlmMessage.ToolResultMessage("toolu_01A", "get_weather", "{\"temp\":\"18C\"}"),
                new LlmMessage.ToolResultMessage("toolu_01B", "get_time", "\"10:00\""),
                LlmMessage.user("Thanks."),
                LlmMessage.assistant("")),
                List.of(new ToolDefinition("get_weather", "Current weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")));

        run(request);

        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/messages");
        assertThat(recorded.getHeaders().get("x-api-key")).isEqualTo(KEY);
        assertThat(recorded.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(recorded.getHeaders().get("Authorization")).isNull();
        assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(MAPPER.readTree(recorded.getBody().utf8())).isEqualTo(MAPPER.readTree("""
                {"model":"claude-sonnet-4-5","max_tokens":1000,"stream":true,"temperature":0.7,
                 "system":"You are a phone agent.\\n\\nBe brief.",
                 "tools":[{"name":"get_weather","description":"Current weather for a city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "messages":[{"role":"user","content":"Weather and time in Paris?"},
                  {"role":"assistant","content":[{"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"{\\"temp\\":\\"18C\\"}"},
                    {"type":"tool_result","tool_use_id":"toolu_01B","content":"\\"10:00\\""},
                    {"type":"text","text":"Thanks."}]}]}
                """));
    }

    @Test
    void assemblesToolUseFromInputJsonDeltas() throws Exception {
        StringBuilder stream = new StringBuilder("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_019Q1hrJ","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":23,"output_tokens":1,"service_tier":"standard"}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I'll check."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01NRLabs","name":"get_weather","input":{},"caller":{"type":"direct"}}}

                """);
        for (String piece : List.of("", "{\\\"city\\\"", ": \\\"P", "ar", "is\\\", \\\"unit\\\": ", "\\\"c\\\"}")) {
            stream.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"")
                    .append(piece).append("\"}}\n\n");
        }
        stream.append("""
                event: ping
                data: {"type": "ping"}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":2}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":65}}

                event: message_stop
                data: {"type":"message_stop"}

                """);
        server.enqueue(sse(stream.toString()));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).containsExactly(
                "I'll check.",
                new ToolCall("toolu_01NRLabs", "get_weather", "{\"city\": \"Paris\", \"unit\": \"c\"}"),
                new ToolCall("toolu_02", "get_time", "{}"),
                new TokenUsage(400, 65),
                RecordingListener.Terminal.COMPLETE);
    }

    @Test
    void errorEventEndsTheStream() throws Exception {
        server.enqueue(sse(MESSAGE_START + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                event: error
                data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

                """));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).hasSize(2);
        assertThat(listener.error().getMessage()).isEqualTo("anthropic: error in the stream: Overloaded (overloaded_error)");
    }

    @Test
    void cancelClosesTheConnectionAndSilencesTheListener() throws Exception {
        SseBodies.EndlessStream endless = new SseBodies.EndlessStream(MESSAGE_START + """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                """);
        server.enqueue(endless.response());
        RecordingListener listener = new RecordingListener();

        LlmStream stream = service.stream(hello(), listener);
        assertThat(listener.awaitFirstText(Duration.ofSeconds(5))).isTrue();
        stream.cancel();

        assertThat(endless.awaitClientClosed()).as("the server saw the client close the stream").isTrue();
        Thread.sleep(100);
        assertThat(listener.events()).containsExactly("Hello");
    }

    @Test
    void retriesOverloadedThenStreams() throws Exception {
        server.enqueue(error(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}"));
        server.enqueue(sse(TEXT_STREAM));

        RecordingListener listener = run(hello());

        assertThat(listener.text()).isEqualTo("Hello there!");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void givesUpAfterRepeated429() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder(error(429,
                    "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"},\"request_id\":\"req_2\"}"))
                    .setHeader("retry-after", "0").build());
        }

        ServiceException error = run(hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(error.getMessage()).contains("HTTP 429", "per-minute rate limit", "rate_limit_error", "gave up after 3 attempts");
    }

    @Test
    void honoursShouldRetryFalse() throws Exception {
        server.enqueue(new MockResponse.Builder(error(500,
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"))
                .setHeader("x-should-retry", "false").build());

        ServiceException error = run(hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.getMessage()).contains("HTTP 500", "Internal server error (api_error)");
    }

    @Test
    void rejectedKeyIsFatalAndNeverShown() throws Exception {
        server.enqueue(error(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"},\"request_id\":\"req_3\"}"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        ServiceException error;
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            error = run(hello()).error();
        } finally {
            System.setErr(stderr);
        }

        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).isEqualTo("anthropic: HTTP 401 from " + server.url("/v1/messages")
                + ": invalid x-api-key (authentication_error)");
        assertThat(error.getMessage() + logs.toString(StandardCharsets.UTF_8)).doesNotContain(KEY);
    }

    @Test
    void droppedConnectionEndsWithAnError() throws Exception {
        StringBuilder stream = new StringBuilder(MESSAGE_START);
        for (int i = 0; i < 40; i++) {
            stream.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"w")
                    .append(i).append(" \"}}\n\n");
        }
        stream.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        server.enqueue(SseBodies.droppedHalfway(stream.toString()));

        RecordingListener listener = run(hello());

        assertThat(listener.text()).startsWith("w0 ").doesNotContain("w39");
        assertThat(listener.error().getMessage()).startsWith("anthropic: connection lost while the answer was streaming");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void streamWithoutMessageStopIsTruncated() throws Exception {
        server.enqueue(sse(MESSAGE_START));

        assertThat(run(hello()).error().getMessage())
                .isEqualTo("anthropic: the stream ended before message_stop: the provider closed the connection early");
    }

    @Test
    void malformedJsonEndsWithAClearError() throws Exception {
        server.enqueue(sse(MESSAGE_START + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n"));

        assertThat(run(hello()).error().getMessage())
                .startsWith("anthropic: malformed event from the provider (")
                .contains("{\"type\":\"content_block_delta\"");
    }
}
