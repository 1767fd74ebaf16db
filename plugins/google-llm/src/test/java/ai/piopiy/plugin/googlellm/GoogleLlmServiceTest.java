package ai.piopiy.plugin.googlellm;

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
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The google-llm provider against a local server speaking Gemini's {@code streamGenerateContent?alt=sse}. */
class GoogleLlmServiceTest {

    private static final String KEY = "AIzaSyTEST-secret-Value_0123456789abc";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));
    private static final String PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";

    /** Transcript A of the reference: incremental text, usage on every chunk, the last one complete. */
    private static final String TEXT_STREAM = events(
            """
            {"candidates": [{"content": {"parts": [{"text": "It's sunny"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 12,"totalTokenCount": 12},"modelVersion": "gemini-2.5-flash","responseId": "mC1aaN2xLqXw"}""",
            """
            {"candidates": [{"content": {"parts": [{"text": " in Paris today."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 12,"candidatesTokenCount": 7,"totalTokenCount": 19},"modelVersion": "gemini-2.5-flash","responseId": "mC1aaN2xLqXw"}""");

    private static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Current weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    private static final ToolDefinition TIME = new ToolDefinition("get_time", "Local time in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"additionalProperties\":false}");

    private MockWebServer server;
    private TestingProviderContext context;
    private GoogleLlmService service;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        context = new TestingProviderContext();
        service = new GoogleLlmService(GoogleLlmConfig.of(Secret.of(KEY))
                .withBaseUrl(server.url("/").toString()).withRetry(FAST_RETRY), context);
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
        context.close();
    }

    /** Each chunk as Gemini frames it: {@code data: <json>} and a blank line, with CRLF line ends as recorded. */
    private static String events(String... chunks) {
        StringBuilder out = new StringBuilder();
        for (String chunk : chunks) {
            out.append("data: ").append(chunk).append("\r\n\r\n");
        }
        return out.toString();
    }

    private static LlmRequest hello() {
        return new LlmRequest(List.of(LlmMessage.system("Be brief."), LlmMessage.user("Weather in Paris?")), List.of());
    }

    private RecordingListener run(LlmRequest request) throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        service.stream(request, listener);
        return listener.awaitTerminal();
    }

    private static String googleError(int code, String status, String message) {
        // Google pretty-prints its error bodies over many lines
        return """
                {
                  "error": {
                    "code": %d,
                    "message": "%s",
                    "status": "%s"
                  }
                }
                """.formatted(code, message, status);
    }

    @Test
    void streamsTextAndReportsTheLastUsageAndTimeToFirstByte() throws Exception {
        server.enqueue(sse(TEXT_STREAM));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).containsExactly("It's sunny", " in Paris today.", new TokenUsage(12, 7),
                RecordingListener.Terminal.COMPLETE);
        assertThat(context.recordedMetrics()).hasSize(2);
        assertThat(context.recordedMetrics().get(0)).isInstanceOfSatisfying(Metric.TimeToFirstByte.class,
                ttfb -> assertThat(ttfb.source()).isEqualTo("google-llm"));
        assertThat(context.recordedMetrics().get(1)).isEqualTo(new Metric.LlmTokenUsage("google-llm", "gemini-2.5-flash", 12, 7));

        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getUrl().encodedPath()).isEqualTo(PATH);
        assertThat(recorded.getUrl().queryParameterNames()).containsExactly("alt");
        assertThat(recorded.getUrl().queryParameter("alt")).isEqualTo("sse");
        assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
        assertThat(recorded.getHeaders().get("Authorization")).isNull();
        assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(MAPPER.readTree(recorded.getBody().utf8())).isEqualTo(MAPPER.readTree("""
                {"systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],
                 "generationConfig":{"temperature":0.7,"maxOutputTokens":1000}}
                """));
    }

    @Test
    void functionCallThenItsResponseRoundTrip() throws Exception {
        // Transcript B of the reference: a whole functionCall part with a thought signature, no id
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "Paris"}},"thoughtSignature": "CiQB0e2Kb3dR"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 41,"candidatesTokenCount": 15,"totalTokenCount": 98,"thoughtsTokenCount": 42},"modelVersion": "gemini-2.5-flash","responseId": "pQ2aaK9sHcW"}""")));
        LlmRequest ask = new LlmRequest(List.of(LlmMessage.system("You are a phone agent. Be brief."),
                LlmMessage.user("Weather in Paris?")), List.of(WEATHER));

        RecordingListener first = run(ask);

        ToolCall call = first.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(MAPPER.readTree(call.argumentsJson())).isEqualTo(MAPPER.readTree("{\"city\":\"Paris\"}"));
        assertThat(call.id()).as("an id made up for the runtime, as Gemini gave none").startsWith("gemini-call-");
        assertThat(first.events()).containsExactly(call, new TokenUsage(41, 57), RecordingListener.Terminal.COMPLETE);

        server.enqueue(sse(TEXT_STREAM));
        LlmRequest answer = new LlmRequest(List.of(LlmMessage.system("You are a phone agent. Be brief."),
                LlmMessage.user("Weather in Paris?"),
                new LlmMessage.AssistantMessage("", List.of(call)),
                new LlmMessage.ToolResultMessage(call.id(), "get_weather", "\"18C, cloudy\"")), List.of(WEATHER));

        assertThat(run(answer).text()).isEqualTo("It's sunny in Paris today.");

        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(MAPPER.readTree(second.getBody().utf8())).isEqualTo(MAPPER.readTree("""
                {"systemInstruction":{"parts":[{"text":"You are a phone agent. Be brief."}]},
                 "contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
                  {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"CiQB0e2Kb3dR"}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"18C, cloudy"}}}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather for a city",
                   "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}],
                 "generationConfig":{"temperature":0.7,"maxOutputTokens":1000}}
                """));
    }

    @Test
    void parallelFunctionCallsComeBackAsOneTurnOfResponsesInCallOrder() throws Exception {
        server.enqueue(sse(events(
                """
                {"candidates": [{"content": {"parts": [{"text": "Checking both."}],"role": "model"},"index": 0}]}""",
                """
                {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "Paris"}},"thoughtSignature": "sigA"},{"functionCall": {"id": "fc-7","name": "get_time","args": {"city": "Paris"}}}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 50,"candidatesTokenCount": 30,"totalTokenCount": 80}}""")));

        RecordingListener first = run(new LlmRequest(List.of(LlmMessage.user("Weather and time in Paris?")), List.of(WEATHER, TIME)));

        List<ToolCall> calls = first.toolCalls();
        assertThat(calls).extracting(ToolCall::name).containsExactly("get_weather", "get_time");
        assertThat(calls.get(1)).isEqualTo(new ToolCall("fc-7", "get_time", "{\"city\":\"Paris\"}"));
        assertThat(first.events()).startsWith("Checking both.").endsWith(new TokenUsage(50, 30), RecordingListener.Terminal.COMPLETE);

        server.enqueue(sse(TEXT_STREAM));
        // the results arrive in the order the tools finished, not the order of the calls
        run(new LlmRequest(List.of(LlmMessage.user("Weather and time in Paris?"),
                new LlmMessage.AssistantMessage("Checking both.", calls),
                new LlmMessage.ToolResultMessage("fc-7", "get_time", "{\"time\":\"10:00\"}"),
                new LlmMessage.ToolResultMessage(calls.get(0).id(), "get_weather", "{\"error\":\"service down\"}"),
                LlmMessage.user("Thanks.")), List.of(WEATHER, TIME)));

        server.takeRequest();
        assertThat(MAPPER.readTree(server.takeRequest().getBody().utf8()).get("contents")).isEqualTo(MAPPER.readTree("""
                [{"role":"user","parts":[{"text":"Weather and time in Paris?"}]},
                 {"role":"model","parts":[{"text":"Checking both."},
                   {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"sigA"},
                   {"functionCall":{"name":"get_time","args":{"city":"Paris"},"id":"fc-7"}}]},
                 {"role":"user","parts":[
                   {"functionResponse":{"name":"get_weather","response":{"error":"service down"}}},
                   {"functionResponse":{"name":"get_time","id":"fc-7","response":{"time":"10:00"}}},
                   {"text":"Thanks."}]}]
                """));
    }

    @Test
    void usageOnEveryChunkIsReportedOnceWithThoughtsAndToolPromptsCounted() throws Exception {
        server.enqueue(sse(events(
                """
                {"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.5-flash"}""",
                """
                {"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 2,"totalTokenCount": 10}}""",
                """
                {"candidates": [{"content": {"parts": [{"text": "","thoughtSignature": "c2ln"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 5,"thoughtsTokenCount": 3,"toolUsePromptTokenCount": 1,"totalTokenCount": 17,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}]}}""")));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).containsExactly("Hi", new TokenUsage(9, 8), RecordingListener.Terminal.COMPLETE);
        assertThat(context.recordedMetrics()).filteredOn(Metric.LlmTokenUsage.class::isInstance)
                .containsExactly(new Metric.LlmTokenUsage("google-llm", "gemini-2.5-flash", 9, 8));
    }

    @Test
    void thoughtSummariesAreNotSpoken() throws Exception {
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"parts": [{"text": "**Considering the weather**","thought": true},{"text": "Sunny."}],"role": "model"},"finishReason": "STOP","index": 0}]}""")));

        assertThat(run(hello()).events()).containsExactly("Sunny.", RecordingListener.Terminal.COMPLETE);
    }

    @Test
    void cancelClosesTheConnectionAndSilencesTheListener() throws Exception {
        SseBodies.EndlessStream endless = new SseBodies.EndlessStream(events("""
                {"candidates": [{"content": {"parts": [{"text": "Hello"}],"role": "model"},"index": 0}]}"""));
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
    void badRequestIsReportedWithGooglesWordsAndNotRetried() throws Exception {
        server.enqueue(error(400, googleError(400, "INVALID_ARGUMENT",
                "* GenerateContentRequest.contents: contents is not specified")));

        ServiceException error = run(hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).isEqualTo("google-llm: HTTP 400 from " + server.url(PATH + "?alt=sse")
                + ": * GenerateContentRequest.contents: contents is not specified (INVALID_ARGUMENT, 400)");
    }

    @Test
    void permissionDeniedIsFatal() throws Exception {
        server.enqueue(error(403, googleError(403, "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity).")));

        ServiceException error = run(hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("HTTP 403", "unregistered callers", "(PERMISSION_DENIED, 403)");
    }

    @Test
    void givesUpAfterRepeatedResourceExhausted() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(429, googleError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).")));
        }

        ServiceException error = run(hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).contains("HTTP 429", "Resource has been exhausted", "RESOURCE_EXHAUSTED",
                "gave up after 3 attempts");
    }

    private static String quotaError(String retryDelay) {
        return """
                {"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
                  "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "%s"}]}}
                """.formatted(retryDelay);
    }

    @Test
    void waitsTheRetryDelayGoogleAsksForInTheBody() throws Exception {
        server.enqueue(error(429, quotaError("0.3s")));
        server.enqueue(sse(TEXT_STREAM));
        long start = System.nanoTime();

        RecordingListener listener = run(hello());

        assertThat(listener.completed()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void retryDelayLongerThanACallerCanWaitFailsAtOnce() throws Exception {
        server.enqueue(error(429, quotaError("58s")));

        ServiceException error = run(hello()).error();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(error.getMessage()).contains("HTTP 429", "You exceeded your current quota. (RESOURCE_EXHAUSTED, 429)",
                "the provider asks to retry after 58 s, longer than the 2 s a caller can wait");
    }

    @Test
    void retriesAnInternalErrorThenStreams() throws Exception {
        server.enqueue(error(500, googleError(500, "INTERNAL", "An internal error has occurred.")));
        server.enqueue(sse(TEXT_STREAM));

        RecordingListener listener = run(hello());

        assertThat(listener.text()).isEqualTo("It's sunny in Paris today.");
        assertThat(listener.completed()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void persistentInternalErrorEndsWithGooglesWords() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(500, googleError(500, "INTERNAL", "An internal error has occurred.")));
        }

        assertThat(run(hello()).error().getMessage()).contains("HTTP 500", "An internal error has occurred. (INTERNAL, 500)",
                "gave up after 3 attempts");
    }

    @Test
    void keyNeverAppearsInMessagesOrLogs() throws Exception {
        // a proxy that echoes the key it was given, first in a retried 503, then in the final 400
        server.enqueue(error(503, googleError(503, "UNAVAILABLE", "The model is overloaded for key " + KEY)));
        server.enqueue(error(400, googleError(400, "INVALID_ARGUMENT", "API key not valid: " + KEY)));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        ServiceException error;
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            error = run(hello()).error();
        } finally {
            System.setErr(stderr);
        }

        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains("HTTP 503", "retrying", "****").doesNotContain(KEY);
        assertThat(error.getMessage()).isEqualTo("google-llm: HTTP 400 from " + server.url(PATH + "?alt=sse")
                + ": API key not valid: **** (INVALID_ARGUMENT, 400) (gave up after 2 attempts)");
        assertThat(error.toString() + service + service.config()).doesNotContain(KEY);
    }

    @Test
    void droppedConnectionEndsWithAnError() throws Exception {
        String[] chunks = new String[40];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"w" + i + " \"}],\"role\": \"model\"},\"index\": 0}]}";
        }
        server.enqueue(SseBodies.droppedHalfway(events(chunks)));

        RecordingListener listener = run(hello());

        assertThat(listener.text()).startsWith("w0 ").doesNotContain("w39");
        assertThat(listener.error().getMessage()).startsWith("google-llm: connection lost while the answer was streaming");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void bodyEndingWithoutAFinishReasonIsTruncated() throws Exception {
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"parts": [{"text": "It's"}],"role": "model"},"index": 0}]}""")));

        RecordingListener listener = run(hello());

        assertThat(listener.text()).isEqualTo("It's");
        assertThat(listener.error().getMessage())
                .isEqualTo("google-llm: the stream ended before a finishReason: the provider closed the connection early");
    }

    @Test
    void malformedJsonEndsWithAClearError() throws Exception {
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"},"index": 0}]}""",
                "{\"candidates\": [{\"content\": {\"parts\": [{\"te")));

        RecordingListener listener = run(hello());

        assertThat(listener.text()).isEqualTo("Hi");
        assertThat(listener.error().getMessage())
                .startsWith("google-llm: malformed event from the provider (")
                .contains("{\"candidates\": [{\"content\"");
    }

    @Test
    void dataThatIsNotAnObjectEndsWithAClearError() throws Exception {
        server.enqueue(sse(events("[1, 2]")));

        assertThat(run(hello()).error().getMessage()).isEqualTo("google-llm: malformed chunk (expected a JSON object): [1, 2]");
    }

    @Test
    void functionCallWithArgsThatAreNotAnObjectIsRefused() throws Exception {
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": "Paris"}}],"role": "model"},"finishReason": "STOP","index": 0}]}""")));

        assertThat(run(hello()).error().getMessage())
                .isEqualTo("google-llm: functionCall get_weather: args is not a JSON object: \"Paris\"");
    }

    @Test
    void safetyStopEndsWithAClearErrorAfterTheTextSoFar() throws Exception {
        server.enqueue(sse(events(
                """
                {"candidates": [{"content": {"parts": [{"text": "To make that you"}],"role": "model"},"index": 0}]}""",
                """
                {"candidates": [{"content": {"parts": [],"role": "model"},"finishReason": "SAFETY","index": 0,"safetyRatings": [{"category": "HARM_CATEGORY_HARASSMENT","probability": "NEGLIGIBLE"},{"category": "HARM_CATEGORY_DANGEROUS_CONTENT","probability": "HIGH","blocked": true}]}],"usageMetadata": {"promptTokenCount": 20,"candidatesTokenCount": 4,"totalTokenCount": 24}}""")));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).hasSize(3).startsWith("To make that you", new TokenUsage(20, 4));
        ServiceException error = listener.error();
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage())
                .isEqualTo("google-llm: Gemini blocked the answer (finishReason SAFETY, HARM_CATEGORY_DANGEROUS_CONTENT)");
    }

    @Test
    void blockedPromptEndsWithAClearError() throws Exception {
        server.enqueue(sse(events("""
                {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 9},"modelVersion": "gemini-2.5-flash"}""")));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).hasSize(2).startsWith(new TokenUsage(9, 0));
        assertThat(listener.error().getMessage()).isEqualTo("google-llm: Gemini refused the prompt (blockReason PROHIBITED_CONTENT)");
    }

    @Test
    void otherStopsNameTheirReasonAndMessage() throws Exception {
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"role": "model"},"finishReason": "MALFORMED_FUNCTION_CALL","finishMessage": "Malformed function call: get_weather(city=)","index": 0}]}""")));

        assertThat(run(hello()).error().getMessage()).isEqualTo("google-llm: Gemini produced a function call it could not "
                + "complete (finishReason MALFORMED_FUNCTION_CALL): Malformed function call: get_weather(city=)");
    }

    @Test
    void maxTokensSpentOnThinkingIsNotASilentSuccess() throws Exception {
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"role": "model"},"finishReason": "MAX_TOKENS","index": 0}],"usageMetadata": {"promptTokenCount": 10,"totalTokenCount": 1010,"thoughtsTokenCount": 1000}}""")));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).startsWith(new TokenUsage(10, 1000));
        assertThat(listener.error().getMessage()).isEqualTo("google-llm: Gemini reached max_tokens before any text or "
                + "function call (thoughts count against it); raise max_tokens or lower thinking_budget");
    }

    @Test
    void anAnswerWithNothingToSayStillCompletes() throws Exception {
        // as with the other providers, a model that chooses to say nothing is not a failure
        server.enqueue(sse(events("""
                {"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 30,"totalTokenCount": 30}}""")));

        assertThat(run(hello()).events()).containsExactly(new TokenUsage(30, 0), RecordingListener.Terminal.COMPLETE);
    }

    @Test
    void errorChunkInTheStreamEndsIt() throws Exception {
        server.enqueue(sse(events(
                """
                {"candidates": [{"content": {"parts": [{"text": "Hel"}],"role": "model"},"index": 0}]}""",
                """
                {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}""")));

        RecordingListener listener = run(hello());

        assertThat(listener.events()).hasSize(2).startsWith("Hel");
        assertThat(listener.error().getMessage()).isEqualTo("google-llm: error in the stream: Internal error encountered. (INTERNAL, 500)");
    }
}
