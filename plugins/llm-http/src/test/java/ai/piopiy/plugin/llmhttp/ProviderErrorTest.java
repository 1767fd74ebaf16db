package ai.piopiy.plugin.llmhttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderErrorTest {

    @Test
    void readsOpenAiAnthropicAndOllamaShapes() {
        assertThat(ProviderError.parse("""
                {"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""")
                .describe()).isEqualTo("Rate limit reached (tokens, rate_limit_exceeded)");
        assertThat(ProviderError.parse("""
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}""")
                .describe()).isEqualTo("Overloaded (overloaded_error)");
        assertThat(ProviderError.parse("{\"error\":\"model 'x' not found\"}").describe()).isEqualTo("model 'x' not found");
    }

    @Test
    void readsGoogleShapeWithItsStatus() {
        assertThat(ProviderError.parse("""
                {
                  "error": {
                    "code": 429,
                    "message": "Resource has been exhausted (e.g. check quota).",
                    "status": "RESOURCE_EXHAUSTED"
                  }
                }""").describe()).isEqualTo("Resource has been exhausted (e.g. check quota). (RESOURCE_EXHAUSTED, 429)");
    }

    @Test
    void readsGooglesRetryDelayFromTheBody() {
        assertThat(ProviderError.retryDelay("""
                {"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[
                  {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}}""")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ProviderError.retryDelay("{\"error\":{\"code\":429,\"message\":\"Quota exceeded\"}}")).isNull();
        assertThat(ProviderError.retryDelay("{\"error\":{\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"soon\"}]}}")).isNull();
        assertThat(ProviderError.retryDelay("<html>busy</html>")).isNull();
    }

    @Test
    void showsOtherBodiesShortened() {
        assertThat(ProviderError.parse("<html>\n<body>Bad gateway</body></html>").describe())
                .isEqualTo("<html> <body>Bad gateway</body></html>");
        assertThat(ProviderError.parse("").describe()).isEqualTo("(empty body)");
        assertThat(ProviderError.parse("x".repeat(1000)).message()).hasSize(303);
    }
}
