package ai.piopiy.spi.provider;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A provider's settings, as a manifest gave them (JSON values: strings, numbers, booleans, lists,
 * objects), with typed getters whose errors name the setting's path and the expected type.
 *
 * <p>The config remembers which keys were read. After a factory's {@code create}, the runtime reports
 * every key nobody read as unknown, so a typo in a manifest fails at startup instead of being
 * silently ignored.
 *
 * <p>Numbers and booleans may also come as strings (a {@code "${PORT}"} substituted from the
 * environment is a string); such a string must parse as the expected type.
 */
public final class ProviderConfig {

    private final String path;
    private final Map<String, Object> values;
    private final Map<String, String> environment;
    private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<ProviderConfig> children = Collections.synchronizedList(new ArrayList<>());

    private ProviderConfig(String path, Map<String, ?> values, Map<String, String> environment) {
        this.path = requireNonNull(path, "path is null");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(values, "values is null")));
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * @param path where these settings are, for messages ({@code pipeline.stt})
     * @param values the settings; {@code null} values count as absent
     * @param environment where {@link #secret} looks for keys not given in {@code values}
     */
    public static ProviderConfig of(String path, Map<String, ?> values, Map<String, String> environment) {
        return new ProviderConfig(path, values, environment);
    }

    public static ProviderConfig of(Map<String, ?> values) {
        return new ProviderConfig("config", values, System.getenv());
    }

    public static ProviderConfig empty(String path) {
        return new ProviderConfig(path, Map.of(), System.getenv());
    }

    public String path() {
        return path;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The keys given, in manifest order. */
    public Set<String> keys() {
        return values.keySet();
    }

    public String pathOf(String key) {
        return path + "." + key;
    }

    // ---- strings

    public String requireString(String key) {
        return optionalString(key).orElseThrow(() -> missing(key, "a string"));
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public Optional<String> optionalString(String key) {
        Object v = get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw wrongType(key, "a string", v);
    }

    // ---- numbers

    public int integer(String key, int defaultValue) {
        return optionalInteger(key).orElse(defaultValue);
    }

    public int requireInteger(String key) {
        return optionalInteger(key).orElseThrow(() -> missing(key, "an integer"));
    }

    public Optional<Integer> optionalInteger(String key) {
        Object v = get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new ConfigException(pathOf(key), "expected an integer within 32 bits, got " + l);
            }
            return Optional.of((int) l);
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Optional.of((int) n.doubleValue());
        }
        if (v instanceof String s) {
            try {
                return Optional.of(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw wrongType(key, "an integer", v);
            }
        }
        throw wrongType(key, "an integer", v);
    }

    public double decimal(String key, double defaultValue) {
        return optionalDecimal(key).orElse(defaultValue);
    }

    public Optional<Double> optionalDecimal(String key) {
        Object v = get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        if (v instanceof String s) {
            try {
                return Optional.of(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                throw wrongType(key, "a number", v);
            }
        }
        throw wrongType(key, "a number", v);
    }

    /** A number that must lie within {@code [min, max]}. */
    public double decimal(String key, double defaultValue, double min, double max) {
        double d = decimal(key, defaultValue);
        if (!(d >= min && d <= max)) {
            throw new ConfigException(pathOf(key), "expected a number within " + min + ".." + max + ", got " + d);
        }
        return d;
    }

    // ---- booleans

    public boolean bool(String key, boolean defaultValue) {
        Object v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw wrongType(key, "a boolean", v);
    }

    // ---- lists and objects

    public List<String> strings(String key, List<String> defaultValue) {
        Object v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof List<?> list)) {
            throw wrongType(key, "a list of strings", v);
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new ConfigException(pathOf(key) + "[" + i + "]", "expected a string but got " + describe(list.get(i)));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** A nested object as its own config (its unknown keys are reported too). */
    public Optional<ProviderConfig> child(String key) {
        Object v = get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw wrongType(key, "an object", v);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, val) -> copy.put(String.valueOf(k), val));
        ProviderConfig child = new ProviderConfig(pathOf(key), copy, environment);
        children.add(child);
        return Optional.of(child);
    }

    /** The raw JSON-shaped value (String, Number, Boolean, List, Map), for settings a provider passes through. */
    public Optional<Object> raw(String key) {
        return Optional.ofNullable(get(key));
    }

    // ---- secrets

    /**
     * A secret from the setting {@code key}, or else from the environment variable {@code envVar}.
     *
     * @throws ConfigException naming both places when neither has a non-empty value
     */
    public Secret secret(String key, String envVar) {
        return optionalSecret(key, envVar).orElseThrow(() -> new ConfigException(pathOf(key),
                "missing; set it in the manifest or in the environment variable " + envVar));
    }

    public Optional<Secret> optionalSecret(String key, String envVar) {
        Object v = get(key);
        if (v != null) {
            if (!(v instanceof String s)) {
                throw new ConfigException(pathOf(key), "expected a string but got " + typeName(v));
            }
            if (!s.isBlank()) {
                return Optional.of(Secret.of(s, pathOf(key)));
            }
        }
        if (envVar != null) {
            String env = environment.get(envVar);
            if (env != null && !env.isBlank()) {
                return Optional.of(Secret.of(env.trim(), envVar));
            }
        }
        return Optional.empty();
    }

    // ---- strictness

    /** Paths of the settings (here and in nested objects read with {@link #child}) that nobody read. */
    public List<String> unreadPaths() {
        List<String> out = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!read.contains(key) && values.get(key) != null) {
                out.add(pathOf(key));
            }
        }
        synchronized (children) {
            for (ProviderConfig c : children) {
                out.addAll(c.unreadPaths());
            }
        }
        return out;
    }

    /** Marks a key as read without reading it (a setting the runtime itself consumes). */
    public void markRead(String key) {
        read.add(key);
    }

    private Object get(String key) {
        read.add(key);
        return values.get(key);
    }

    private ConfigException missing(String key, String expected) {
        return new ConfigException(pathOf(key), "missing; expected " + expected);
    }

    private ConfigException wrongType(String key, String expected, Object v) {
        return new ConfigException(pathOf(key), "expected " + expected + " but got " + describe(v));
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v instanceof Map || v instanceof List) {
            return typeName(v);
        }
        return typeName(v) + " " + v;
    }

    private static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof Map) {
            return "an object";
        }
        return v.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "ProviderConfig[" + path + ", keys=" + values.keySet() + "]";
    }
}
