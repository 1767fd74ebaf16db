package com.example.uppercase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.MetricsSink;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.ProviderFactory;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class UppercaseLlmFactoryTest {

    @Test
    void isFoundThroughServiceLoaderAndAnswersInCapitals() throws Exception {
        ProviderFactory factory = ServiceLoader.load(ProviderFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("uppercase"))
                .findFirst()
                .orElseThrow();
        ProviderConfig config = ProviderConfig.of("pipeline.llm", Map.of("prefix", "You said: "), Map.of());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            LlmService llm = (LlmService) factory.create(config, context(executor));
            assertTrue(config.unreadPaths().isEmpty());

            CompletableFuture<String> answer = new CompletableFuture<>();
            StringBuilder text = new StringBuilder();
            llm.stream(new LlmRequest(List.of(LlmMessage.user("hello there")), List.of()), new LlmListener() {
                @Override
                public void onText(String t) {
                    text.append(t);
                }

                @Override
                public void onToolCall(ToolCall call) {}

                @Override
                public void onComplete() {
                    answer.complete(text.toString());
                }

                @Override
                public void onError(ServiceException error) {
                    answer.completeExceptionally(error);
                }
            });
            assertEquals("YOU SAID: HELLO THERE", answer.get(5, TimeUnit.SECONDS));
        }
    }

    private static ProviderContext context(ExecutorService executor) {
        return new ProviderContext() {
            @Override
            public ScheduledExecutorService scheduler() {
                throw new UnsupportedOperationException("not used by this provider");
            }

            @Override
            public ExecutorService blockingExecutor() {
                return executor;
            }

            @Override
            public HttpClient httpClient() {
                throw new UnsupportedOperationException("not used by this provider");
            }

            @Override
            public MetricsSink metrics() {
                return MetricsSink.NONE;
            }

            @Override
            public Logger logger() {
                return LoggerFactory.getLogger("uppercase");
            }

            @Override
            public Map<String, String> environment() {
                return Map.of();
            }
        };
    }
}
