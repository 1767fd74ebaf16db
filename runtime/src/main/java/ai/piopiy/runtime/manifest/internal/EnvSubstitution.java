package ai.piopiy.runtime.manifest.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a string value with the environment
 * variable {@code NAME} (or the default when it is unset or empty); {@code $${} stays a literal
 * {@code ${}. It runs on string values after the JSON is parsed, so a value can never change the
 * manifest's structure, and secrets can stay in the environment.
 */
public final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    public EnvSubstitution(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * The value with every reference replaced; each problem (an unset variable without default, a
     * malformed reference) is added to {@code problems} and its reference left as it was.
     */
    public String substitute(String value, List<String> problems) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && value.startsWith("${", i)) {
                int end = value.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add("'${' without a closing '}' (write $${ for a literal ${)");
                    out.append(value, i, value.length());
                    break;
                }
                String reference = value.substring(i + 2, end);
                int dash = reference.indexOf(":-");
                String name = dash < 0 ? reference : reference.substring(0, dash);
                String fallback = dash < 0 ? null : reference.substring(dash + 2);
                String resolved = environment.get(name);
                if (!NAME.matcher(name).matches()) {
                    problems.add("'${" + reference + "}' is not a variable reference; write ${NAME} or ${NAME:-default}");
                    out.append(value, i, end + 1);
                } else if (resolved != null && !resolved.isEmpty()) {
                    out.append(resolved);
                } else if (fallback != null) {
                    out.append(fallback);
                } else {
                    problems.add("environment variable " + name + " is not set (write ${" + name
                            + ":-default} to give a default)");
                    out.append(value, i, end + 1);
                }
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
