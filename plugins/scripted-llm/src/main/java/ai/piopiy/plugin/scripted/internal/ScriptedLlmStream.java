package ai.piopiy.plugin.scripted.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One scripted completion, played on the host's scheduler: each step (a word token, the tool call, the
 * end) is its own short task, scheduled by the one before, so listener calls never overlap.
 */
public final class ScriptedLlmStream implements LlmStream {

    /** What the completion says: word tokens, a tool call, or an error. */
    public sealed interface Answer {}

    public record Speak(List<String> tokens) implements Answer {
        public Speak {
            tokens = List.copyOf(tokens);
        }
    }

    public record CallTool(ToolCall call) implements Answer {}

    public record Fail(ServiceException error) implements Answer {}

    private final String name;
    private final ProviderContext context;
    private final LlmListener listener;
    private final Answer answer;
    private final TokenUsage usage;
    private final Duration tokenDelay;
    private final long startedNanos;
    private final Consumer<ScriptedLlmStream> onFinished;
    private final Object lock = new Object();
    private int next;
    private boolean firstDelivered;
    private boolean cancelled;
    private ScheduledFuture<?> pending;

    public ScriptedLlmStream(String name, ProviderContext context, LlmListener listener, Answer answer, TokenUsage usage,
            Duration tokenDelay, Consumer<ScriptedLlmStream> onFinished) {
        this.name = requireNonNull(name, "name is null");
        this.context = requireNonNull(context, "context is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.answer = requireNonNull(answer, "answer is null");
        this.usage = requireNonNull(usage, "usage is null");
        this.tokenDelay = requireNonNull(tokenDelay, "tokenDelay is null");
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
        this.startedNanos = context.nanoTime();
    }

    public void start(Duration firstTokenDelay) {
        schedule(firstTokenDelay);
    }

    private void schedule(Duration delay) {
        synchronized (lock) {
            if (!cancelled) {
                pending = context.scheduler().schedule(this::step, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    // The lock is held while the listener runs so that once cancel() returns nothing more is delivered.
    private void step() {
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            switch (answer) {
                case Speak speak when next < speak.tokens().size() -> {
                    firstByte();
                    listener.onText(speak.tokens().get(next++));
                    schedule(next < speak.tokens().size() ? tokenDelay : Duration.ZERO);
                }
                case Speak speak -> complete();
                case CallTool tool -> {
                    firstByte();
                    listener.onToolCall(tool.call());
                    complete();
                }
                case Fail fail -> {
                    cancelled = true;
                    onFinished.accept(this);
                    listener.onError(fail.error());
                }
            }
        }
    }

    private void firstByte() {
        if (!firstDelivered) {
            firstDelivered = true;
            context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - startedNanos));
        }
    }

    private void complete() {
        cancelled = true;
        onFinished.accept(this);
        context.metrics().record(new Metric.LlmTokenUsage(name, "scripted", usage.promptTokens(), usage.completionTokens()));
        listener.onUsage(usage);
        listener.onComplete();
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        onFinished.accept(this);
    }
}
