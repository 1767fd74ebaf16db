package ai.piopiy.plugin.openai;

import static ai.piopiy.plugin.llmhttp.testing.SseBodies.dataEvents;
import static ai.piopiy.plugin.llmhttp.testing.SseBodies.error;
import static ai.piopiy.plugin.llmhttp.testing.SseBodies.sse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.plugin.llmhttp.testing.RecordingListener;
import ai.piopiy.plugin.llmhttp.testing.SseBodies;
import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI flavors against a local server speaking the Chat Completions streaming protocol. */
class OpenAiLlmServiceTest {

    private static final String KEY = "sk-test-0123456789abcdefSECRET";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));
    private static final String PREFIX =
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1727346168,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",";

    private static final String TEXT_STREAM = dataEvents(List.of(
            PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
            PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"It's \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
            PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"sunny.\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
            PREFIX + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}",
            PREFIX + "\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":3,\"total_tokens\":17,\"completion_tokens_details\":{\"reasoning_tokens\":0}}}",
            "[DONE]"));

    private MockWebServer server;
    private TestingProviderContext context;
    private final List<OpenAiLlmService> services = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        context = new TestingProviderContext();
    }

    @AfterEach
    void stop() {
        services.forEach(OpenAiLlmService::close);
        server.close();
        context.close();
    }

    private OpenAiLlmService service(OpenAiLlmConfig config) {
        OpenAiLlmService service = new OpenAiLlmService(config.withBaseUrl(server.url("/v1").toString())
                .withRetry(FAST_RETRY), context);
        services.add(service);
        return service;
    }

    private OpenAiLlmService openai() {
        return service(OpenAiLlmConfig.openai(Secret.of(KEY)));
    }

    private static LlmRequest hello() {
        return new LlmRequest(List.of(LlmMessage.system("Be brief."), LlmMessage.user("Weather in Paris?")), List.of());
    }

    private RecordingListener run(OpenAiLlmService service, LlmRequest request) throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        service.stream(request, listener);
        return listener.awaitTerminal();
    }

    private JsonNode requestBody(RecordedRequest request) throws Exception {
        return MAPPER.readTree(request.getBody().utf8());
    }

    @Test
    void streamsTextThenUsageThenCompletes() throws Exception {
        server.enqueue(sse(TEXT_STREAM));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.events()).containsExactly(
                "It's ", "sunny.", new TokenUsage(14, 3), RecordingListener.Terminal.COMPLETE);
        List<Metric> metrics = context.recordedMetrics();
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(0)).isInstanceOfSatisfying(Metric.TimeToFirstByte.class, ttfb -> {
            assertThat(ttfb.source()).isEqualTo("openai");
            assertThat(ttfb.nanos()).isPositive();
        });
        assertThat(metrics.get(1)).isEqualTo(new Metric.LlmTokenUsage("openai", "gpt-4o-mini", 14, 3));
    }

    @Test
    void worksFromCodeWithoutARuntime() throws Exception {
        server.enqueue(sse(TEXT_STREAM));
        try (OpenAiLlmService standalone = new OpenAiLlmService(
                OpenAiLlmConfig.openai(Secret.of(KEY)).withBaseUrl(server.url("/v1/").toString()))) {
            RecordingListener listener = new RecordingListener();
            standalone.stream(hello(), listener);
            assertThat(listener.awaitTerminal().text()).isEqualTo("It's sunny.");
            assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        }
    }

    @Test
    void sendsTheDocumentedRequest() throws Exception {
        server.enqueue(sse(TEXT_STREAM));
        LlmRequest request = new LlmRequest(List.of(
                LlmMessage.system("You are a phone agent. Be brief."),
                LlmMessage.user("Weather in Paris?"),
                new LlmMessage.AssistantMessage("", List.of(new ToolCall("call_abc123", "get_weather", "{\"city\":\"Paris\"}"))),
                new LlmMessage.ToolResultMessage("call_abc123", "get_weather", "{\"temp\":\"18C\"}"),
                LlmMessage.assistant("It is 18 degrees."),
                LlmMessage.user("And tomorrow?")),
                List.of(new ToolDefinition("get_weather", "Current weather for a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")));

        run(openai(), request);

        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(requestBody(recorded)).isEqualTo(MAPPER.readTree("""
                {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},
                 "temperature":0.7,"max_completion_tokens":1000,
                 "messages":[{"role":"system","content":"You are a phone agent. Be brief."},
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_abc123","content":"{\\"temp\\":\\"18C\\"}"},
                  {"role":"assistant","content":"It is 18 degrees."},
                  {"role":"user","content":"And tomorrow?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
                """));
    }

    @Test
    void assemblesTwoParallelToolCallsFromManyFragments() throws Exception {
        List<String> chunks = new ArrayList<>();
        chunks.add(PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_c91SqDXl\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]}");
        for (String piece : List.of("{\\\"", "city", "\\\":", " \\\"", "Par", "is\\\"", "}")) {
            chunks.add(PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + piece + "\"}}]},\"logprobs\":null,\"finish_reason\":null}]}");
        }
        chunks.add(PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_Zx8\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}");
        for (String piece : List.of("{\\\"tz\\\"", ": \\\"Europe/", "Paris\\\"}")) {
            chunks.add(PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"" + piece + "\"}}]},\"logprobs\":null,\"finish_reason\":null}]}");
        }
        chunks.add(PREFIX + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}");
        chunks.add(PREFIX + "\"choices\":[],\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":40,\"total_tokens\":120}}");
        chunks.add("[DONE]");
        server.enqueue(sse(dataEvents(chunks)));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.events()).containsExactly(
                new ToolCall("call_c91SqDXl", "get_weather", "{\"city\": \"Paris\"}"),
                new ToolCall("call_Zx8", "get_time", "{\"tz\": \"Europe/Paris\"}"),
                new TokenUsage(80, 40),
                RecordingListener.Terminal.COMPLETE);
    }

    @Test
    void groqSendsWholeToolCallsAndUsageInXGroq() throws Exception {
        server.enqueue(sse(dataEvents(List.of(
                "{\"id\":\"chatcmpl-9f2\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"llama-3.3-70b-versatile\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null},\"logprobs\":null,\"finish_reason\":null}],\"x_groq\":{\"id\":\"req_01k0abc\"}}",
                "{\"id\":\"chatcmpl-9f2\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"llama-3.3-70b-versatile\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"call_k3v9\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},\"index\":0}]},\"logprobs\":null,\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-9f2\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"llama-3.3-70b-versatile\",\"system_fingerprint\":\"fp_3f3b593e33\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"x_groq\":{\"id\":\"req_01k0abc\",\"usage\":{\"queue_time\":0.01,\"prompt_tokens\":40,\"prompt_time\":0.004,\"completion_tokens\":9,\"completion_time\":0.02,\"total_tokens\":49,\"total_time\":0.024}}}",
                "[DONE]"))));
        OpenAiLlmService groq = service(OpenAiLlmConfig.groq(Secret.of("gsk_groqkey")));

        RecordingListener listener = run(groq, hello());

        assertThat(listener.events()).containsExactly(
                new ToolCall("call_k3v9", "get_weather", "{\"city\":\"Paris\"}"),
                new TokenUsage(40, 9),
                RecordingListener.Terminal.COMPLETE);
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer gsk_groqkey");
        JsonNode body = requestBody(recorded);
        assertThat(body.get("model").asText()).isEqualTo("llama-3.3-70b-versatile");
        assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(1000);
        assertThat(context.recordedMetrics()).contains(new Metric.LlmTokenUsage("groq", "llama-3.3-70b-versatile", 40, 9));
    }

    @Test
    void ollamaNeedsNoKeyAndGetsMaxTokens() throws Exception {
        server.enqueue(sse(dataEvents(List.of(
                "{\"id\":\"chatcmpl-417\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"llama3.2\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-417\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"llama3.2\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"chatcmpl-417\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"llama3.2\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}",
                "[DONE]"))));

        RecordingListener listener = run(service(OpenAiLlmConfig.ollama()), hello());

        assertThat(listener.events()).containsExactly("Hi", new TokenUsage(5, 1), RecordingListener.Terminal.COMPLETE);
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getHeaders().get("Authorization")).isNull();
        JsonNode body = requestBody(recorded);
        assertThat(body.get("model").asText()).isEqualTo("llama3.2");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(1000);
        assertThat(body.has("max_completion_tokens")).isFalse();
    }

    @Test
    void cancelClosesTheConnectionAndSilencesTheListener() throws Exception {
        SseBodies.EndlessStream endless = new SseBodies.EndlessStream(dataEvents(List.of(
                PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}")));
        server.enqueue(endless.response());
        RecordingListener listener = new RecordingListener();

        LlmStream stream = openai().stream(hello(), listener);
        assertThat(listener.awaitFirstText(Duration.ofSeconds(5))).isTrue();
        stream.cancel();
        stream.cancel();

        assertThat(endless.awaitClientClosed()).as("the server saw the client close the stream").isTrue();
        Thread.sleep(100);
        assertThat(listener.events()).containsExactly("Hello");
    }

    @Test
    void cancelDuringABackoffSendsNoMoreRequests() throws Exception {
        server.enqueue(new MockResponse.Builder(error(503, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}"))
                .setHeader("Retry-After", "0.5").build());
        server.enqueue(sse(TEXT_STREAM));
        RecordingListener listener = new RecordingListener();

        LlmStream stream = openai().stream(hello(), listener);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        Thread.sleep(50);
        stream.cancel();
        Thread.sleep(700);

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void cancelFromInsideACallbackStopsAtOnce() throws Exception {
        server.enqueue(sse(TEXT_STREAM));
        AtomicReference<LlmStream> stream = new AtomicReference<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        LlmListener listener = new LlmListener() {
            @Override
            public void onText(String text) {
                seen.add(text);
                while (stream.get() == null) {
                    Thread.onSpinWait();
                }
                stream.get().cancel();
                cancelled.countDown();
            }

            @Override
            public void onToolCall(ToolCall call) {
                seen.add("tool call");
            }

            @Override
            public void onUsage(TokenUsage usage) {
                seen.add("usage");
            }

            @Override
            public void onComplete() {
                seen.add("complete");
            }

            @Override
            public void onError(ServiceException error) {
                seen.add("error");
            }
        };

        stream.set(openai().stream(hello(), listener));

        assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(seen).containsExactly("It's ");
    }

    @Test
    void retriesA500ThenStreams() throws Exception {
        server.enqueue(error(500, "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
        server.enqueue(sse(TEXT_STREAM));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.text()).isEqualTo("It's sunny.");
        assertThat(listener.completed()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void givesUpAfterTwoRetriesOf429WithTheProvidersMessage() throws Exception {
        String body = "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM): Limit 200000, Used 162960, Requested 42288. Please try again in 1.574s.\",\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder(error(429, body)).setHeader("retry-after-ms", "20").build());
        }

        ServiceException error = run(openai(), hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(error.service()).isEqualTo("openai");
        assertThat(error.getMessage())
                .contains("HTTP 429", "Rate limit reached for gpt-4o-mini", "rate_limit_exceeded", "gave up after 3 attempts")
                .doesNotContain(KEY);
        assertThat(error.fatal()).isFalse();
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws Exception {
        server.enqueue(new MockResponse.Builder(error(503, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}"))
                .setHeader("Retry-After", "0.3").build());
        server.enqueue(sse(TEXT_STREAM));

        long start = System.nanoTime();
        RecordingListener listener = run(openai(), hello());

        assertThat(listener.completed()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void doesNotWaitLongerThanACallerCan() throws Exception {
        server.enqueue(new MockResponse.Builder(error(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}"))
                .setHeader("Retry-After", "120").build());

        ServiceException error = run(openai(), hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.getMessage()).contains("HTTP 429", "slow down", "retry after 120 s");
    }

    @Test
    void doesNotRetryOutOfQuota() throws Exception {
        server.enqueue(error(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}"));

        ServiceException error = run(openai(), hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.getMessage()).contains("You exceeded your current quota");
    }

    @Test
    void rejectedKeyIsFatalAndNeverShown() throws Exception {
        // the provider echoes part of the key; a proxy might echo all of it
        server.enqueue(error(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + ". You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        ServiceException error;
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            error = run(openai(), hello()).error();
        } finally {
            System.setErr(stderr);
        }

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage())
                .contains("HTTP 401", "Incorrect API key provided: ****", "invalid_api_key")
                .doesNotContain(KEY);
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain(KEY);
    }

    @Test
    void keyEchoedInARetriedErrorStaysOutOfTheLog() throws Exception {
        server.enqueue(error(500, "{\"error\":{\"message\":\"upstream rejected key " + KEY + "\",\"type\":\"server_error\"}}"));
        server.enqueue(sse(TEXT_STREAM));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            assertThat(run(openai(), hello()).completed()).isTrue();
        } finally {
            System.setErr(stderr);
        }
        String log = logs.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("HTTP 500", "upstream rejected key ****").doesNotContain(KEY);
    }

    @Test
    void droppedConnectionEndsWithAnError() throws Exception {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chunks.add(PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"},\"logprobs\":null,\"finish_reason\":null}]}");
        }
        chunks.add("[DONE]");
        server.enqueue(SseBodies.droppedHalfway(dataEvents(chunks)));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.text()).startsWith("w0 w1 ").doesNotContain("w39");
        assertThat(listener.error().getMessage()).startsWith("openai: connection lost while the answer was streaming");
        assertThat(server.getRequestCount()).as("no replay after output").isEqualTo(1);
    }

    @Test
    void streamWithoutDoneIsTruncated() throws Exception {
        server.enqueue(sse(dataEvents(List.of(
                PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}]}"))));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.error().getMessage()).isEqualTo(
                "openai: the stream ended before data: [DONE]: the provider closed the connection early");
    }

    @Test
    void malformedJsonEndsWithAClearError() throws Exception {
        server.enqueue(sse("data: " + PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                + "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"oops\"\n\n"
                + "data: [DONE]\n\n"));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.text()).isEqualTo("Hi");
        assertThat(listener.error().getMessage())
                .startsWith("openai: malformed event from the provider (")
                .contains("{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"oops\"");
    }

    @Test
    void errorInsideTheStreamIsReported() throws Exception {
        server.enqueue(sse(dataEvents(List.of(
                PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]}",
                "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"))));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.error().getMessage()).isEqualTo("openai: error in the stream: "
                + "The server had an error while processing your request. Sorry about that! (server_error)");
    }

    @Test
    void groqsInBandErrorIsReported() throws Exception {
        server.enqueue(sse(dataEvents(List.of(
                "{\"id\":\"chatcmpl-9f2\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-9f2\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"x_groq\":{\"id\":\"req_1\",\"error\":\"over capacity\"}}"))));

        RecordingListener listener = run(service(OpenAiLlmConfig.groq(Secret.of("gsk_k"))), hello());

        assertThat(listener.text()).isEqualTo("Hi");
        assertThat(listener.error().getMessage()).isEqualTo("groq: error in the stream: over capacity");
    }

    @Test
    void truncatedToolArgumentsAreAnError() throws Exception {
        server.enqueue(sse(dataEvents(List.of(
                PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Pa\"}}]},\"finish_reason\":null}]}",
                PREFIX + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}",
                "[DONE]"))));

        RecordingListener listener = run(openai(), hello());

        assertThat(listener.toolCalls()).isEmpty();
        assertThat(listener.error().getMessage()).contains("tool call get_weather: arguments are not valid JSON");
    }

    @Test
    void invalidToolSchemaIsReportedWithoutARequest() throws Exception {
        LlmRequest request = new LlmRequest(List.of(LlmMessage.user("hi")),
                List.of(new ToolDefinition("broken", "has a bad schema", "{\"type\":")));

        ServiceException error = run(openai(), request).error();

        assertThat(error.getMessage()).contains("could not build the request", "tool broken", "not valid JSON");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void closeFailsStreamsInFlightAndLeavesNoOkHttpThreadsBehind() throws Exception {
        SseBodies.EndlessStream endless = new SseBodies.EndlessStream(dataEvents(List.of(
                PREFIX + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}")));
        server.enqueue(endless.response());
        OpenAiLlmService service = openai();
        RecordingListener listener = new RecordingListener();
        service.stream(hello(), listener);
        assertThat(listener.awaitFirstText(Duration.ofSeconds(5))).isTrue();

        service.close();

        assertThat(listener.awaitTerminal().error().getMessage()).contains("closed");
        assertThat(endless.awaitClientClosed()).isTrue();
        TimeUnit.MILLISECONDS.sleep(50);
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.isAlive() && !t.isDaemon() && t.getName().contains("OkHttp"))
                .isEmpty();
    }
}
