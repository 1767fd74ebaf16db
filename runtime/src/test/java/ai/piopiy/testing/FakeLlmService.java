package ai.piopiy.testing;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A streaming LLM for tests, answering by rules: the first rule whose trigger is contained in the last
 * user message answers, as word tokens streamed {@code tokenMs} apart on its own thread. A rule may
 * call a tool first; once the tool's result is in the conversation, its reply function reads it.
 */
public final class FakeLlmService implements LlmService {

    private static final ScheduledExecutorService THREAD = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "fake-llm");
        t.setDaemon(true);
        return t;
    });

    /** An answer rule. {@code reply} gets the tool result (or null when there is no tool). */
    public record Rule(String trigger, String toolName, String toolArguments, Function<String, String> reply) {
        public static Rule say(String trigger, String text) {
            return new Rule(trigger, null, null, r -> text);
        }

        public static Rule tool(String trigger, String toolName, String arguments, Function<String, String> reply) {
            return new Rule(trigger, toolName, arguments, reply);
        }
    }

    private final List<Rule> rules;
    private final String fallback;
    private final int tokenMs;
    private final String name;
    public final List<LlmRequest> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger toolIds = new AtomicInteger();
    private volatile ServiceException failNext;

    public FakeLlmService(String name, List<Rule> rules, String fallback, int tokenMs) {
        this.name = name;
        this.rules = List.copyOf(rules);
        this.fallback = fallback;
        this.tokenMs = tokenMs;
    }

    /** The next request fails with {@code e} (after its first token). */
    public void failNext(ServiceException e) {
        this.failNext = e;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        requests.add(request);
        List<LlmMessage> messages = request.messages();
        LlmMessage last = messages.getLast();
        List<Runnable> steps = new ArrayList<>();
        if (last instanceof LlmMessage.ToolResultMessage tool) {
            Rule rule = rules.stream().filter(r -> tool.toolName().equals(r.toolName())).findFirst().orElseThrow();
            tokens(rule.reply().apply(tool.content()), listener, steps);
            steps.add(listener::onComplete);
        } else {
            String said = lastUser(messages).toLowerCase(java.util.Locale.ROOT);
            Rule rule = rules.stream().filter(r -> said.contains(r.trigger())).findFirst().orElse(null);
            if (rule != null && rule.toolName() != null) {
                ToolCall call = new ToolCall("call_" + toolIds.incrementAndGet(), rule.toolName(), rule.toolArguments());
                steps.add(() -> listener.onToolCall(call));
                steps.add(listener::onComplete);
            } else {
                tokens(rule != null ? rule.reply().apply(null) : fallback, listener, steps);
                steps.add(() -> listener.onUsage(new TokenUsage(messages.size() * 10, 20)));
                steps.add(listener::onComplete);
            }
        }
        ServiceException failure = failNext;
        if (failure != null) {
            failNext = null;
            steps.add(1, () -> listener.onError(failure));
            steps.subList(2, steps.size()).clear();
        }
        Stream stream = new Stream(steps);
        stream.schedule();
        return stream;
    }

    private static String lastUser(List<LlmMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof LlmMessage.UserMessage u) {
                return u.content();
            }
        }
        return "";
    }

    private static void tokens(String text, LlmListener listener, List<Runnable> steps) {
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            String token = (i == 0 ? "" : " ") + words[i];
            steps.add(() -> listener.onText(token));
        }
    }

    private final class Stream implements LlmStream {
        private final List<Runnable> steps;
        private final List<ScheduledFuture<?>> futures = new ArrayList<>();
        private volatile boolean isCancelled;

        Stream(List<Runnable> steps) {
            this.steps = steps;
        }

        void schedule() {
            for (int i = 0; i < steps.size(); i++) {
                Runnable step = steps.get(i);
                futures.add(THREAD.schedule(() -> {
                    if (!isCancelled) {
                        step.run();
                    }
                }, (long) (i + 1) * tokenMs, TimeUnit.MILLISECONDS));
            }
        }

        @Override
        public void cancel() {
            if (!isCancelled) {
                isCancelled = true;
                cancelled.incrementAndGet();
                futures.forEach(f -> f.cancel(false));
            }
        }
    }
}
