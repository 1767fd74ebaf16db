package ai.piopiy.plugin.scripted.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {match.N}} (a capture group of the rule's regex) and {@code {result.a.b}} (a field of
 * a tool's JSON result; {@code {result}} is the whole result) placeholders, parsed once when the rule is
 * read so that a typo fails at startup rather than during a call.
 */
public final class ReplyTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.]*)}");
    private static final Pattern MATCH_GROUP = Pattern.compile("match\\.(\\d+)");
    private static final Pattern RESULT_FIELD = Pattern.compile("result((?:\\.[A-Za-z0-9_]+)*)");

    private sealed interface Part {}

    private record Literal(String text) implements Part {}

    private record MatchGroup(int group) implements Part {}

    /** {@code path} empty means the whole result. */
    private record ResultField(String placeholder, List<String> path) implements Part {}

    private final List<Part> parts;
    private final boolean usesResult;

    private ReplyTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.usesResult = parts.stream().anyMatch(p -> p instanceof ResultField);
    }

    /**
     * @param groupCount the capture groups the rule's regex has
     * @param resultAllowed whether {@code {result...}} may appear (only in a tool rule's reply)
     * @throws IllegalArgumentException saying which placeholder is wrong
     */
    public static ReplyTemplate parse(String text, int groupCount, boolean resultAllowed) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(new Literal(text.substring(last, m.start())));
            }
            String name = m.group(1);
            Matcher group = MATCH_GROUP.matcher(name);
            Matcher field = RESULT_FIELD.matcher(name);
            if (group.matches()) {
                int n = Integer.parseInt(group.group(1));
                if (n > groupCount) {
                    throw new IllegalArgumentException("{" + name + "} refers to group " + n + " but the match has "
                            + groupCount + (groupCount == 1 ? " group" : " groups"));
                }
                parts.add(new MatchGroup(n));
            } else if (field.matches()) {
                if (!resultAllowed) {
                    throw new IllegalArgumentException("{" + name + "} needs a tool result; only a rule with a tool can use it");
                }
                String path = field.group(1);
                parts.add(new ResultField(name, path.isEmpty() ? List.of() : List.of(path.substring(1).split("\\."))));
            } else {
                throw new IllegalArgumentException("unknown placeholder {" + name + "}; use {match.N} or {result.field}");
            }
            last = m.end();
        }
        if (last < text.length()) {
            parts.add(new Literal(text.substring(last)));
        }
        return new ReplyTemplate(parts);
    }

    public boolean usesResult() {
        return usesResult;
    }

    /**
     * @param match the rule's match against the user's words (its groups fill {@code {match.N}})
     * @param result the tool's parsed result, or null when the rule has no tool
     * @throws IllegalStateException naming the placeholder when the result lacks its field
     */
    public String render(Matcher match, JsonNode result) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case MatchGroup group -> {
                    String value = match.group(group.group());
                    out.append(value == null ? "" : value);
                }
                case ResultField field -> out.append(text(field, result));
            }
        }
        return out.toString();
    }

    private static String text(ResultField field, JsonNode result) {
        JsonNode node = result;
        for (String name : field.path()) {
            node = node == null ? null : node.get(name);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new IllegalStateException("the tool result has no value for {" + field.placeholder() + "}");
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
