package ai.piopiy.plugin.scripted;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.scripted.internal.CompiledRule;
import ai.piopiy.plugin.scripted.internal.ScriptedLlmStream;
import ai.piopiy.plugin.scripted.internal.ScriptedLlmStream.Answer;
import ai.piopiy.plugin.scripted.internal.ScriptedLlmStream.CallTool;
import ai.piopiy.plugin.scripted.internal.ScriptedLlmStream.Fail;
import ai.piopiy.plugin.scripted.internal.ScriptedLlmStream.Speak;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmMessage.AssistantMessage;
import ai.piopiy.spi.llm.LlmMessage.SystemMessage;
import ai.piopiy.spi.llm.LlmMessage.ToolResultMessage;
import ai.piopiy.spi.llm.LlmMessage.UserMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.provider.ProviderContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An LLM stand-in that answers from rules, not from a model: the first rule whose regex is found in the
 * last user message decides the answer, streamed as word tokens. A tool rule first asks for its tool;
 * when the follow-up request carries the tool's result, the rule's reply is rendered from that result.
 * Meant for demos and tests that must run offline and give the same answer every time.
 *
 * <p>A conversation with no user message yet (the greeting) is matched as empty text, so a rule with
 * {@code "match": "^$"} can script the greeting.
 */
public final class ScriptedLlmService implements LlmService {

    private static final Pattern WORD = Pattern.compile("\\s*\\S+");

    private final ScriptedLlmConfig config;
    private final ProviderContext context;
    private final ObjectMapper json = new ObjectMapper();
    private final List<CompiledRule> rules;
    private final Set<LlmStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong toolCallIds = new AtomicLong();

    /** @throws IllegalArgumentException when a rule is invalid (the message names the rule and the setting) */
    public ScriptedLlmService(ScriptedLlmConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        List<CompiledRule> compiled = new ArrayList<>();
        for (ScriptedRule rule : config.rules()) {
            compiled.add(CompiledRule.compile(rule, json));
        }
        this.rules = List.copyOf(compiled);
        if (WORD.matcher(config.fallback()).results().findAny().isEmpty()) {
            throw new IllegalArgumentException("the fallback reply must not be empty");
        }
    }

    public ScriptedLlmConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        Answer answer = answer(request.messages());
        int completion = switch (answer) {
            case Speak speak -> speak.tokens().size();
            case CallTool tool -> words(tool.call().name() + " " + tool.call().argumentsJson());
            case Fail fail -> 0;
        };
        TokenUsage usage = new TokenUsage(promptTokens(request.messages()), completion);
        ScriptedLlmStream stream = new ScriptedLlmStream(name(), context, listener, answer, usage, config.tokenDelay(),
                open::remove);
        open.add(stream);
        stream.start(config.firstTokenDelay());
        return stream;
    }

    private Answer answer(List<LlmMessage> messages) {
        String userText = lastUserText(messages);
        LlmMessage last = messages.isEmpty() ? null : messages.getLast();
        for (CompiledRule rule : rules) {
            Matcher match = rule.find(userText);
            if (match == null) {
                continue;
            }
            ScriptedRule r = rule.rule();
            if (!r.callsTool()) {
                return speak(rule.reply(match, null));
            }
            if (last instanceof ToolResultMessage result && result.toolName().equals(r.toolName())) {
                return fromResult(rule, match, result);
            }
            String id = "scripted_call_" + toolCallIds.incrementAndGet();
            return new CallTool(new ToolCall(id, r.toolName(), rule.arguments(match)));
        }
        return speak(config.fallback());
    }

    private Answer fromResult(CompiledRule rule, Matcher match, ToolResultMessage result) {
        JsonNode tree;
        try {
            tree = json.readTree(result.content());
        } catch (JsonProcessingException e) {
            // a tool may answer with plain text; {result} still renders it, a field lookup reports the gap
            tree = json.getNodeFactory().textNode(result.content());
        }
        try {
            return speak(rule.reply(match, tree));
        } catch (IllegalStateException e) {
            return new Fail(new ServiceException(name(), "rule '" + rule.rule().match() + "': " + e.getMessage()
                    + " (tool " + result.toolName() + ")"));
        }
    }

    private static Speak speak(String text) {
        return new Speak(WORD.matcher(text).results().map(r -> r.group()).toList());
    }

    private static String lastUserText(List<LlmMessage> messages) {
        for (LlmMessage message : messages.reversed()) {
            if (message instanceof UserMessage user) {
                return user.content();
            }
        }
        return "";
    }

    private static int promptTokens(List<LlmMessage> messages) {
        int tokens = 0;
        for (LlmMessage message : messages) {
            tokens += switch (message) {
                case SystemMessage m -> words(m.content());
                case UserMessage m -> words(m.content());
                case AssistantMessage m -> words(m.content());
                case ToolResultMessage m -> words(m.content());
            };
        }
        return tokens;
    }

    private static int words(String text) {
        return (int) WORD.matcher(text).results().count();
    }

    /** Cancels the completions still streaming. */
    @Override
    public void close() {
        for (LlmStream stream : open) {
            stream.cancel();
        }
    }
}
