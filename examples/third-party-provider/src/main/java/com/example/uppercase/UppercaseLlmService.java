package com.example.uppercase;

import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers with the caller's last words in capitals, one word at a time, on the host's blocking
 * executor, the way a network LLM streams tokens from its own thread.
 */
public final class UppercaseLlmService implements LlmService {

    private final String prefix;
    private final int maxWords;
    private final ProviderContext context;

    public UppercaseLlmService(String prefix, int maxWords, ProviderContext context) {
        this.prefix = prefix;
        this.maxWords = maxWords;
        this.context = context;
    }

    @Override
    public String name() {
        return "uppercase";
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        String said = lastUserText(request.messages());
        long start = context.nanoTime();
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<?> work = context.blockingExecutor().submit(() -> {
            String[] words = (prefix + said).toUpperCase(Locale.ROOT).split(" ");
            for (int i = 0; i < Math.min(words.length, maxWords); i++) {
                // the SPI promises the listener nothing after cancel()
                if (cancelled.get()) {
                    return;
                }
                if (i == 0) {
                    context.metrics().record(new Metric.TimeToFirstByte(name(), context.nanoTime() - start));
                }
                listener.onText(i == 0 ? words[i] : " " + words[i]);
            }
            if (!cancelled.get()) {
                listener.onComplete();
            }
        });
        return () -> {
            cancelled.set(true);
            work.cancel(true);
        };
    }

    private static String lastUserText(List<LlmMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof LlmMessage.UserMessage user) {
                return user.content();
            }
        }
        return "";
    }
}
