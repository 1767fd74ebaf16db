package ai.piopiy.runtime.manifest.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.manifest.ManifestError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object of the manifest field by field, collecting problems instead of throwing, so
 * that one pass finds every error. A getter returns its default (or null) when the field is missing
 * or wrong, after recording why. {@link #finish()} reports the fields nobody asked for as unknown.
 *
 * <p>Numbers and booleans may come as strings (a substituted {@code "${MAX_CALLS}"} is one), as
 * {@link ai.piopiy.spi.provider.ProviderConfig} accepts them.
 */
final class ObjectReader {

    private final String path;
    private final ObjectNode node;
    private final List<ManifestError> errors;
    private final Set<String> known = new LinkedHashSet<>();

    ObjectReader(String path, ObjectNode node, List<ManifestError> errors) {
        this.path = requireNonNull(path, "path is null");
        this.node = requireNonNull(node, "node is null");
        this.errors = requireNonNull(errors, "errors is null");
    }

    /** An object at {@code path}, or null (after recording the problem) when {@code value} is not one. */
    static ObjectReader of(String path, JsonNode value, List<ManifestError> errors) {
        if (value instanceof ObjectNode object) {
            return new ObjectReader(path, object, errors);
        }
        errors.add(new ManifestError(path, "expected an object but got " + describe(value)));
        return null;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void error(String key, String message) {
        errors.add(new ManifestError(pathOf(key), message));
    }

    /** The raw value, null when absent or JSON null; marks the key as known. */
    JsonNode get(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    String requireString(String key) {
        JsonNode value = get(key);
        if (value == null) {
            error(key, "missing; expected a string");
            return null;
        }
        return string(key, null);
    }

    String string(String key, String defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isTextual()) {
            error(key, "expected a string but got " + describe(value));
            return defaultValue;
        }
        return value.textValue();
    }

    int integer(String key, int defaultValue, int min, int max) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        Long parsed = null;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            parsed = value.longValue();
        } else if (value.isTextual()) {
            try {
                parsed = Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (parsed == null) {
            error(key, "expected an integer but got " + describe(value));
            return defaultValue;
        }
        if (parsed < min || parsed > max) {
            error(key, "expected an integer within " + min + ".." + max + ", got " + parsed);
            return defaultValue;
        }
        return parsed.intValue();
    }

    /** A number within {@code [min, max]}; {@code minExclusive} makes the lower bound exclusive. */
    Double decimal(String key, Double defaultValue, double min, boolean minExclusive, double max) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        Double parsed = null;
        if (value.isNumber()) {
            parsed = value.doubleValue();
        } else if (value.isTextual()) {
            try {
                parsed = Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (parsed == null) {
            error(key, "expected a number but got " + describe(value));
            return defaultValue;
        }
        boolean aboveMin = minExclusive ? parsed > min : parsed >= min;
        if (!aboveMin || !(parsed <= max)) {
            error(key, "expected a number " + (minExclusive ? "above " + fmt(min) + " and up to " + fmt(max)
                    : "within " + fmt(min) + ".." + fmt(max)) + ", got " + fmt(parsed));
            return defaultValue;
        }
        return parsed;
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        error(key, "expected a boolean but got " + describe(value));
        return defaultValue;
    }

    /** A nested object, or null when absent or not an object (recorded). */
    ObjectReader object(String key, boolean required) {
        JsonNode value = get(key);
        if (value == null) {
            if (required) {
                error(key, "missing; expected an object");
            }
            return null;
        }
        return of(pathOf(key), value, errors);
    }

    /** An array, or null when absent or not an array (recorded). */
    ArrayNode array(String key) {
        JsonNode value = get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof ArrayNode array) {
            return array;
        }
        error(key, "expected a list but got " + describe(value));
        return null;
    }

    List<String> strings(String key) {
        ArrayNode array = array(key);
        List<String> out = new ArrayList<>();
        if (array == null) {
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).isTextual()) {
                out.add(array.get(i).textValue());
            } else {
                errors.add(new ManifestError(pathOf(key) + "[" + i + "]", "expected a string but got " + describe(array.get(i))));
            }
        }
        return out;
    }

    /** The keys of this object, in manifest order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Reports every field that no getter asked for. */
    void finish() {
        for (String key : keys()) {
            if (!known.contains(key)) {
                String hint = Suggestions.closest(key, known).map(s -> "did you mean " + s + "? ").orElse("");
                error(key, "unknown field; " + hint + "expected one of: " + String.join(", ", known));
            }
        }
    }

    static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            String s = value.textValue();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (value.isBoolean()) {
            return "a boolean " + value.booleanValue();
        }
        if (value.isNumber()) {
            return "a number " + value.asText();
        }
        if (value.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
