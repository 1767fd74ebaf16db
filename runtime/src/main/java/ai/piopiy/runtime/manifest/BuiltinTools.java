package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.ToolHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tool handlers a manifest can name in {@code "handler"}, for tools that need no application code.
 * A handler's argument problems are results too ({@code {"error": ...}}), so the model can correct itself.
 */
public final class BuiltinTools {

    /** {@code {"time_zone"?: "Europe/Paris"}} to {@code {"time_zone", "local_time", "weekday"}}; UTC by default. */
    public static final String CURRENT_TIME = "current_time";

    /**
     * {@code {"name": "spanish"}}: switches the call's {@code stt}, {@code llm} or {@code tts} to the
     * named alternative of its {@code switch}; answers {@code {"switched_to": name}}.
     */
    public static final Map<String, String> SWITCHES = Map.of("switch_stt", "stt", "switch_llm", "llm", "switch_tts", "tts");

    /** Made on the first tool call, not when the manifest names a built-in tool (see JsonTrees). */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder().build();
    }

    private BuiltinTools() {}

    public static Set<String> names() {
        return Set.of(CURRENT_TIME, "switch_stt", "switch_llm", "switch_tts");
    }

    public static ToolHandler currentTime(Clock clock) {
        requireNonNull(clock, "clock is null");
        return argumentsJson -> {
            ObjectNode result = Json.MAPPER.createObjectNode();
            try {
                JsonNode zoneArg = arguments(argumentsJson).get("time_zone");
                ZoneId zone = zoneArg == null || zoneArg.isNull() ? ZoneId.of("UTC") : ZoneId.of(zoneArg.asText());
                ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
                result.put("time_zone", zone.getId());
                result.put("local_time", now.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                result.put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
            } catch (JsonProcessingException e) {
                result.put("error", "the arguments are not a JSON object");
            } catch (DateTimeException e) {
                result.put("error", "unknown time zone; use an IANA name such as Europe/Paris");
            }
            return result.toString();
        };
    }

    /** Switches {@code switcher} (one call's) to the alternative the model names. */
    public static ToolHandler switchService(ServiceSwitcher<?> switcher) {
        requireNonNull(switcher, "switcher is null");
        return argumentsJson -> {
            ObjectNode result = Json.MAPPER.createObjectNode();
            try {
                JsonNode name = arguments(argumentsJson).get("name");
                if (name == null || !name.isTextual() || !switcher.names().contains(name.textValue())) {
                    result.put("error", "name must be one of " + String.join(", ", switcher.names()));
                } else {
                    switcher.switchTo(name.textValue());
                    result.put("switched_to", name.textValue());
                }
            } catch (JsonProcessingException e) {
                result.put("error", "the arguments are not a JSON object");
            }
            return result.toString();
        };
    }

    private static JsonNode arguments(String json) throws JsonProcessingException {
        return json == null || json.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(json);
    }
}
