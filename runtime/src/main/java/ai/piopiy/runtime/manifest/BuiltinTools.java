package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Set;

/**
 * Tool handlers a manifest can name in {@code "handler"}, for tools that need no application code.
 * A handler takes the model's arguments (a JSON object) and returns the result as JSON; a problem
 * with the arguments is a result too ({@code {"error": ...}}), so the model can correct itself.
 */
public final class BuiltinTools {

    /** {@code {"time_zone"?: "Europe/Paris"}} to {@code {"time_zone", "local_time", "weekday"}}; UTC by default. */
    public static final String CURRENT_TIME = "current_time";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final Clock clock;

    public BuiltinTools(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static Set<String> names() {
        return Set.of(CURRENT_TIME);
    }

    /**
     * Runs built-in {@code name} on {@code argumentsJson}.
     *
     * @throws IllegalArgumentException when there is no built-in of that name
     */
    public String run(String name, String argumentsJson) {
        requireNonNull(name, "name is null");
        requireNonNull(argumentsJson, "argumentsJson is null");
        if (!CURRENT_TIME.equals(name)) {
            throw new IllegalArgumentException("no built-in tool handler named " + name);
        }
        ObjectNode result = MAPPER.createObjectNode();
        try {
            JsonNode args = argumentsJson.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(argumentsJson);
            JsonNode zoneArg = args.get("time_zone");
            ZoneId zone = zoneArg == null || zoneArg.isNull() ? ZoneId.of("UTC") : ZoneId.of(zoneArg.asText());
            ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
            result.put("time_zone", zone.getId());
            result.put("local_time", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            result.put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        } catch (IOException e) {
            result.put("error", "the arguments are not a JSON object");
        } catch (DateTimeException e) {
            result.put("error", "unknown time zone; use an IANA name such as Europe/Paris");
        }
        return result.toString();
    }
}
