package ai.piopiy.runtime.manifest.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.manifest.AgentManifest;
import ai.piopiy.runtime.manifest.AgentSettings;
import ai.piopiy.runtime.manifest.BuiltinTools;
import ai.piopiy.runtime.manifest.GuardSpec;
import ai.piopiy.runtime.manifest.InterruptionSpec;
import ai.piopiy.runtime.manifest.ManifestError;
import ai.piopiy.runtime.manifest.PipelineSpec;
import ai.piopiy.runtime.manifest.ServiceSpec;
import ai.piopiy.runtime.manifest.ServiceSpec.ProviderSpec;
import ai.piopiy.runtime.manifest.ServiceSpec.SwitchSpec;
import ai.piopiy.runtime.manifest.ToolSpec;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.vad.VadParams;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a manifest's JSON into an {@link AgentManifest} in one pass that collects every problem:
 * syntax, environment references, missing, mistyped and unknown fields. Provider settings are only
 * collected here; the providers themselves validate them (see {@code ProviderInstantiator}).
 */
public final class ManifestReader {

    /** The outcome: the manifest when there were no errors, and the provider specs that could be read. */
    public record Outcome(Optional<AgentManifest> manifest, List<ProviderSpec> providers, List<ManifestError> errors) {
        public Outcome {
            requireNonNull(manifest, "manifest is null");
            providers = List.copyOf(providers);
            errors = List.copyOf(errors);
        }
    }

    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private final EnvSubstitution env;
    private final List<ManifestError> errors = new ArrayList<>();
    private final List<ProviderSpec> providers = new ArrayList<>();

    private ManifestReader(Map<String, String> environment) {
        this.env = new EnvSubstitution(environment);
    }

    public static Outcome read(String json, Map<String, String> environment) {
        requireNonNull(json, "json is null");
        requireNonNull(environment, "environment is null");
        return new ManifestReader(environment).read(json);
    }

    private Outcome read(String json) {
        JsonNode root;
        try {
            root = JsonTrees.read(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            errors.add(new ManifestError("", "not valid JSON: " + where + e.getOriginalMessage()));
            return new Outcome(Optional.empty(), List.of(), errors);
        }
        if (root == null || root.isMissingNode()) {
            errors.add(new ManifestError("", "the manifest is empty; expected a JSON object"));
            return new Outcome(Optional.empty(), List.of(), errors);
        }
        root = substitute("", root);
        ObjectReader top = ObjectReader.of("", root, errors);
        if (top == null) {
            return new Outcome(Optional.empty(), List.of(), errors);
        }
        // lets editors find docs/manifest.schema.json
        top.string("$schema", null);
        AgentSettings agent = agent(top.object("agent", true));
        PipelineSpec pipeline = pipeline(top.object("pipeline", true));
        ObjectReader transportReader = top.object("transport", true);
        ProviderSpec transport = transportReader == null ? null : provider(ProviderKind.TRANSPORT, transportReader);
        top.finish();
        Optional<AgentManifest> manifest = errors.isEmpty()
                ? Optional.of(new AgentManifest(agent, pipeline, transport))
                : Optional.empty();
        return new Outcome(manifest, providers, errors);
    }

    /** Substitutes environment references in every string value of the tree (keys stay as written). */
    private JsonNode substitute(String path, JsonNode node) {
        if (node instanceof TextNode text) {
            List<String> problems = new ArrayList<>();
            String value = env.substitute(text.textValue(), problems);
            problems.forEach(p -> errors.add(new ManifestError(path, p)));
            return value.equals(text.textValue()) ? node : TextNode.valueOf(value);
        }
        if (node instanceof ObjectNode object) {
            for (String key : iterable(object)) {
                object.set(key, substitute(path.isEmpty() ? key : path + "." + key, object.get(key)));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substitute(path + "[" + i + "]", array.get(i)));
            }
        }
        return node;
    }

    private static List<String> iterable(ObjectNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private AgentSettings agent(ObjectReader r) {
        if (r == null) {
            return null;
        }
        String id = r.requireString("id");
        String token = r.requireString("token");
        String url = r.string("signaling_url", AgentSettings.DEFAULT_SIGNALING_URL);
        URI signalingUrl = null;
        if (url != null) {
            try {
                signalingUrl = new URI(url);
                if (!Set.of("http", "https").contains(String.valueOf(signalingUrl.getScheme())) || signalingUrl.getHost() == null) {
                    r.error("signaling_url", "expected an http(s) URL but got \"" + url + "\"");
                }
            } catch (URISyntaxException e) {
                r.error("signaling_url", "expected an http(s) URL but got \"" + url + "\"");
            }
        }
        int maxCalls = r.integer("max_concurrent_calls", AgentSettings.DEFAULT_MAX_CONCURRENT_CALLS, 1, 100_000);
        r.finish();
        if (id == null || token == null || signalingUrl == null) {
            return null;
        }
        return new AgentSettings(id, Secret.of(token, r.pathOf("token")), signalingUrl, maxCalls);
    }

    private PipelineSpec pipeline(ObjectReader r) {
        if (r == null) {
            return null;
        }
        String instructions = r.requireString("instructions");
        String greeting = r.string("greeting", "");
        List<LlmMessage> initialMessages = initialMessages(r);
        ServiceSpec stt = service(ProviderKind.STT, r);
        ServiceSpec llm = service(ProviderKind.LLM, r);
        ServiceSpec tts = service(ProviderKind.TTS, r);
        ObjectReader vadReader = r.object("vad", false);
        Optional<ProviderSpec> vad = Optional.ofNullable(vadReader == null ? null : provider(ProviderKind.VAD, vadReader));
        VadParams vadParams = vadParams(r.object("vad_params", false));
        if (r.has("vad_params") && !r.has("vad")) {
            r.error("vad_params", "given without pipeline.vad; add a VAD provider or remove vad_params");
        }
        InterruptionSpec interruptions = interruptions(r.object("interruptions", false));
        GuardSpec guards = guards(r.object("guards", false));
        List<ToolSpec> tools = tools(r);
        r.finish();
        if (instructions == null || stt == null || llm == null || tts == null) {
            return null;
        }
        return new PipelineSpec(instructions, greeting, initialMessages, stt, llm, tts, vad, vadParams,
                interruptions, guards, tools);
    }

    private List<LlmMessage> initialMessages(ObjectReader r) {
        ArrayNode array = r.array("initial_messages");
        List<LlmMessage> messages = new ArrayList<>();
        if (array == null) {
            return messages;
        }
        for (int i = 0; i < array.size(); i++) {
            ObjectReader m = ObjectReader.of(r.pathOf("initial_messages") + "[" + i + "]", array.get(i), errors);
            if (m == null) {
                continue;
            }
            String role = m.requireString("role");
            String content = m.requireString("content");
            m.finish();
            if (role != null && !ROLES.contains(role)) {
                m.error("role", "expected one of system, user, assistant but got \"" + role + "\"");
            } else if (role != null && content != null) {
                messages.add(switch (role) {
                    case "system" -> LlmMessage.system(content);
                    case "user" -> LlmMessage.user(content);
                    default -> LlmMessage.assistant(content);
                });
            }
        }
        return messages;
    }

    /** {@code {"provider": id, ...settings}} or {@code {"switch": {"default": name, "services": {name: {...}}}}}. */
    private ServiceSpec service(ProviderKind kind, ObjectReader parent) {
        String key = kind.key();
        ObjectReader r = parent.object(key, true);
        if (r == null) {
            return null;
        }
        JsonNode switchNode = r.get("switch");
        if (switchNode == null) {
            return provider(kind, r);
        }
        if (r.keys().size() > 1) {
            r.error("switch", "a service is either {\"provider\": ...} or {\"switch\": ...}; "
                    + "move the other fields into the switch's services");
            return null;
        }
        ObjectReader s = ObjectReader.of(r.pathOf("switch"), switchNode, errors);
        if (s == null) {
            return null;
        }
        String defaultName = s.requireString("default");
        ObjectReader services = s.object("services", true);
        s.finish();
        if (services == null) {
            return null;
        }
        Map<String, ProviderSpec> named = new LinkedHashMap<>();
        boolean complete = true;
        for (String name : services.keys()) {
            ObjectReader one = services.object(name, true);
            ProviderSpec spec = one == null ? null : provider(kind, one);
            if (spec == null) {
                complete = false;
            } else {
                named.put(name, spec);
            }
        }
        if (services.keys().isEmpty()) {
            s.error("services", "expected at least one named service");
            return null;
        }
        if (defaultName != null && !services.keys().contains(defaultName)) {
            s.error("default", "\"" + defaultName + "\" is not one of the services: " + String.join(", ", services.keys()));
            return null;
        }
        return complete && defaultName != null ? new SwitchSpec(kind, r.path(), defaultName, named) : null;
    }

    /** {@code {"provider": id, ...settings}}: every key but provider goes to the provider as a setting. */
    private ProviderSpec provider(ProviderKind kind, ObjectReader r) {
        String id = r.requireString("provider");
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : r.keys()) {
            if (!key.equals("provider")) {
                // the provider reads (and so validates) its settings; its unread ones are reported then
                settings.put(key, plain(r.get(key)));
            }
        }
        if (id == null) {
            return null;
        }
        ProviderSpec spec = new ProviderSpec(kind, r.path(), id, settings);
        providers.add(spec);
        return spec;
    }

    /** A JSON value as String, Integer, Long, Double, Boolean, List or Map (what ProviderConfig reads). */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.intValue() : node.canConvertToLong() ? (Object) node.longValue()
                    : node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
        return map;
    }

    private VadParams vadParams(ObjectReader r) {
        if (r == null) {
            return VadParams.DEFAULTS;
        }
        VadParams d = VadParams.DEFAULTS;
        double confidence = r.decimal("confidence", d.confidence(), 0, false, 1);
        double start = r.decimal("start_seconds", d.startSeconds(), 0, false, 10);
        double stop = r.decimal("stop_seconds", d.stopSeconds(), 0, false, 10);
        double minVolume = r.decimal("min_volume", d.minVolume(), 0, false, 1);
        r.finish();
        return new VadParams(confidence, start, stop, minVolume);
    }

    private InterruptionSpec interruptions(ObjectReader r) {
        if (r == null) {
            return InterruptionSpec.DEFAULT;
        }
        boolean allowed = r.bool("allowed", false);
        ObjectReader s = r.object("strategy", false);
        r.finish();
        if (s == null) {
            return new InterruptionSpec(allowed, Optional.empty());
        }
        String type = s.requireString("type");
        InterruptionSpec.Strategy strategy = null;
        if ("min_words".equals(type)) {
            int minWords = s.integer("min_words", 1, 1, 1000);
            Set<String> backchannels = MinWordsInterruptionStrategy.DEFAULT_BACKCHANNELS;
            if (s.has("backchannels")) {
                backchannels = new HashSet<>();
                for (String word : s.strings("backchannels")) {
                    backchannels.add(word.toLowerCase(Locale.ROOT).trim());
                }
            }
            strategy = new InterruptionSpec.MinWords(minWords, backchannels);
        } else if ("min_duration".equals(type)) {
            strategy = new InterruptionSpec.MinDuration(s.decimal("min_duration", 0.5, 0, true, 60));
        } else if (type != null) {
            s.error("type", "expected min_words or min_duration but got \"" + type + "\"");
        }
        s.finish();
        return new InterruptionSpec(allowed, Optional.ofNullable(strategy));
    }

    private GuardSpec guards(ObjectReader r) {
        if (r == null) {
            return GuardSpec.DEFAULT;
        }
        double idle = r.decimal("idle_timeout_seconds", (double) GuardSpec.DEFAULT_IDLE_TIMEOUT.toSeconds(), 0, false, 86_400);
        double max = r.decimal("max_duration_seconds", (double) GuardSpec.DEFAULT_MAX_DURATION.toSeconds(), 0, false, 86_400);
        String goodbye = r.string("goodbye", null);
        r.finish();
        return new GuardSpec(seconds(idle), seconds(max), Optional.ofNullable(goodbye));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private List<ToolSpec> tools(ObjectReader r) {
        ArrayNode array = r.array("tools");
        List<ToolSpec> tools = new ArrayList<>();
        if (array == null) {
            return tools;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            ObjectReader t = ObjectReader.of(r.pathOf("tools") + "[" + i + "]", array.get(i), errors);
            if (t == null) {
                continue;
            }
            String name = t.requireString("name");
            String description = t.requireString("description");
            String parameters = parameters(t);
            String handler = t.string("handler", null);
            Double timeout = t.decimal("timeout_seconds", null, 0, true, 3600);
            t.finish();
            if (name != null && !TOOL_NAME.matcher(name).matches()) {
                t.error("name", "expected 1 to 64 letters, digits, '_' or '-' but got \"" + name + "\"");
                continue;
            }
            if (name != null && !names.add(name)) {
                t.error("name", "another tool is already named \"" + name + "\"");
                continue;
            }
            if (handler != null && !BuiltinTools.names().contains(handler)) {
                t.error("handler", "unknown built-in handler \"" + handler + "\"; built-ins: "
                        + String.join(", ", new TreeSet<>(BuiltinTools.names())) + " (leave handler out to bind one in code)");
                continue;
            }
            String switched = handler == null ? null : BuiltinTools.SWITCHES.get(handler);
            if (switched != null && !(r.get(switched) instanceof ObjectNode service && service.has("switch"))) {
                t.error("handler", handler + " switches between the alternatives of pipeline." + switched
                        + ", which is not a switch");
                continue;
            }
            if (name != null && description != null && parameters != null) {
                tools.add(new ToolSpec(name, description, parameters, Optional.ofNullable(handler),
                        Optional.ofNullable(timeout).map(ManifestReader::seconds)));
            }
        }
        return tools;
    }

    private String parameters(ObjectReader t) {
        JsonNode schema = t.get("parameters");
        if (schema == null) {
            return "{\"type\":\"object\",\"properties\":{}}";
        }
        if (!(schema instanceof ObjectNode object)) {
            t.error("parameters", "expected a JSON Schema object but got " + ObjectReader.describe(schema));
            return null;
        }
        JsonNode type = object.get("type");
        if (type != null && !"object".equals(type.asText())) {
            t.error("parameters.type", "a tool's parameters are an object; expected \"object\" but got "
                    + ObjectReader.describe(type));
            return null;
        }
        return JsonTrees.write(object);
    }
}
