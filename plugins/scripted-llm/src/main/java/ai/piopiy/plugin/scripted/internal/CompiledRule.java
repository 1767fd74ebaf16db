package ai.piopiy.plugin.scripted.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.scripted.ScriptedRule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A {@link ScriptedRule} checked and parsed: its regex compiled, its templates parsed. */
public final class CompiledRule {

    private final ScriptedRule rule;
    private final Pattern pattern;
    private final ReplyTemplate reply;
    private final JsonNode arguments;
    /** The template of each string in the arguments, by node identity (the tree is never changed). */
    private final Map<JsonNode, ReplyTemplate> argumentTemplates = new IdentityHashMap<>();

    private CompiledRule(ScriptedRule rule, ObjectMapper json) {
        this.rule = rule;
        try {
            this.pattern = Pattern.compile(rule.match(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            throw new InvalidRuleException("match", "not a valid regular expression: " + e.getDescription() + where);
        }
        int groups = pattern.matcher("").groupCount();
        try {
            this.reply = ReplyTemplate.parse(rule.reply(), groups, rule.callsTool());
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException("reply", e.getMessage());
        }
        if (rule.callsTool()) {
            if (rule.toolName().isBlank()) {
                throw new InvalidRuleException("tool.name", "must not be empty");
            }
            try {
                this.arguments = json.readTree(rule.toolArgumentsJson());
            } catch (JsonProcessingException e) {
                throw new InvalidRuleException("tool.arguments", "not valid JSON: " + e.getOriginalMessage());
            }
            if (!(arguments instanceof ObjectNode)) {
                throw new InvalidRuleException("tool.arguments", "expected a JSON object");
            }
            try {
                collectTemplates(arguments, groups);
            } catch (IllegalArgumentException e) {
                throw new InvalidRuleException("tool.arguments", e.getMessage());
            }
        } else {
            this.arguments = null;
        }
    }

    /** @throws InvalidRuleException naming the rule's setting that is wrong */
    public static CompiledRule compile(ScriptedRule rule, ObjectMapper json) {
        return new CompiledRule(requireNonNull(rule, "rule is null"), requireNonNull(json, "json is null"));
    }

    public ScriptedRule rule() {
        return rule;
    }

    /** The match in {@code userText}, or null when the rule does not apply. */
    public Matcher find(String userText) {
        Matcher m = pattern.matcher(userText);
        return m.find() ? m : null;
    }

    public String reply(Matcher match, JsonNode result) {
        return reply.render(match, result);
    }

    /** The tool's arguments with the match's groups filled in, as a JSON object. */
    public String arguments(Matcher match) {
        return render(arguments, match).toString();
    }

    private void collectTemplates(JsonNode node, int groups) {
        if (node instanceof TextNode text) {
            ReplyTemplate template = ReplyTemplate.parse(text.textValue(), groups, false);
            argumentTemplates.put(node, template);
        } else {
            node.forEach(child -> collectTemplates(child, groups));
        }
    }

    private JsonNode render(JsonNode node, Matcher match) {
        return switch (node) {
            case TextNode text -> TextNode.valueOf(argumentTemplates.get(text).render(match, null));
            case ObjectNode object -> {
                ObjectNode copy = object.objectNode();
                object.properties().forEach(e -> copy.set(e.getKey(), render(e.getValue(), match)));
                yield copy;
            }
            case ArrayNode array -> {
                ArrayNode copy = array.arrayNode();
                array.forEach(e -> copy.add(render(e, match)));
                yield copy;
            }
            default -> node;
        };
    }
}
