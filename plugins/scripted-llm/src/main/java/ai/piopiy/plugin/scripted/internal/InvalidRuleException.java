package ai.piopiy.plugin.scripted.internal;

import static java.util.Objects.requireNonNull;

/** A rule that cannot work; {@link #field()} names the rule's setting at fault ({@code match}, {@code reply}, ...). */
public final class InvalidRuleException extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public InvalidRuleException(String field, String problem) {
        super(requireNonNull(field, "field is null") + ": " + requireNonNull(problem, "problem is null"));
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
