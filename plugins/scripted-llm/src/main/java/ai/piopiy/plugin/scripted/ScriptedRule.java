package ai.piopiy.plugin.scripted;

import static java.util.Objects.requireNonNull;

/**
 * One answer rule: when {@code match} (a case-insensitive regular expression) is found in the last user
 * message, the bot says {@code reply}, or first calls the tool {@code toolName} with {@code toolArgumentsJson}
 * and then says {@code reply} rendered from the tool's result.
 *
 * <p>Templates: {@code {match.N}} is the rule's capture group N (in the reply and in the tool's argument
 * strings); {@code {result.a.b}} is a field of the tool's JSON result, {@code {result}} the whole result.
 *
 * @param match the regular expression, searched (not fully matched) in the user's words
 * @param reply what to say; for a tool rule, the template rendered once the result is in
 * @param toolName the tool to call, or null for a plain reply
 * @param toolArgumentsJson the tool's arguments as a JSON object, or null for a plain reply
 */
public record ScriptedRule(String match, String reply, String toolName, String toolArgumentsJson) {

    public ScriptedRule {
        requireNonNull(match, "match is null");
        requireNonNull(reply, "reply is null");
        if ((toolName == null) != (toolArgumentsJson == null)) {
            throw new IllegalArgumentException("a tool rule needs both toolName and toolArgumentsJson");
        }
    }

    /** A rule that answers with {@code reply}. */
    public static ScriptedRule reply(String match, String reply) {
        return new ScriptedRule(match, reply, null, null);
    }

    /** A rule that calls {@code toolName}, then answers with {@code replyTemplate} rendered from the result. */
    public static ScriptedRule tool(String match, String toolName, String toolArgumentsJson, String replyTemplate) {
        return new ScriptedRule(match, replyTemplate, requireNonNull(toolName, "toolName is null"),
                requireNonNull(toolArgumentsJson, "toolArgumentsJson is null"));
    }

    public boolean callsTool() {
        return toolName != null;
    }
}
