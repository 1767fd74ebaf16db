package ai.piopiy.plugin.cartesia.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.cartesia.CartesiaTtsConfig;
import ai.piopiy.plugin.ttswebsocket.Base64Chars;
import ai.piopiy.spi.tts.WordTimestamp;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The JSON of Cartesia's TTS WebSocket: generation and cancel requests out, server frames in. */
public final class CartesiaProtocol {

    private static final JsonFactory JSON = new JsonFactory();

    private final CartesiaTtsConfig config;
    private final int sampleRate;

    /** @param sampleRate the rate Cartesia is asked for (one it supports) */
    public CartesiaProtocol(CartesiaTtsConfig config, int sampleRate) {
        this.config = requireNonNull(config, "config is null");
        this.sampleRate = sampleRate;
    }

    /**
     * A generation request. Cartesia requires every field but {@code transcript} and {@code continue}
     * to be the same on all inputs of a context, so every request carries them all.
     */
    public String generation(String contextId, String transcript, boolean more) {
        StringWriter out = new StringWriter(320 + transcript.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model_id", config.model());
            g.writeStringField("transcript", transcript);
            g.writeObjectFieldStart("voice");
            g.writeStringField("mode", "id");
            g.writeStringField("id", config.voiceId());
            g.writeEndObject();
            g.writeStringField("language", config.language());
            g.writeStringField("context_id", contextId);
            g.writeObjectFieldStart("output_format");
            g.writeStringField("container", "raw");
            g.writeStringField("encoding", "pcm_s16le");
            g.writeNumberField("sample_rate", sampleRate);
            g.writeEndObject();
            g.writeBooleanField("add_timestamps", config.addTimestamps());
            g.writeBooleanField("continue", more);
            g.writeNumberField("max_buffer_delay_ms", config.maxBufferDelayMs());
            // 1.0 is the API's own default; leaving it out keeps models without generation_config working
            if (config.speed() != CartesiaTtsConfig.DEFAULT_SPEED) {
                g.writeObjectFieldStart("generation_config");
                g.writeNumberField("speed", config.speed());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public String cancel(String contextId) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("context_id", contextId);
            g.writeBooleanField("cancel", true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** One server message. Fields a type does not carry are null (or empty). */
    public record ServerFrame(String type, String contextId, byte[] audio, List<WordTimestamp> words, int statusCode, String error) {}

    /**
     * Parses a server message. The audio's base64 is decoded straight from the parser's buffer into
     * the array handed to the listener, without an intermediate string or byte buffer.
     *
     * @throws IOException when the text is not a JSON object (the message says where)
     */
    public static ServerFrame parse(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            String type = null;
            String contextId = null;
            byte[] audio = null;
            List<WordTimestamp> words = List.of();
            int statusCode = 0;
            String legacyError = null;
            String title = null;
            String message = null;
            String errorCode = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = stringOrNull(p, value);
                    case "context_id" -> contextId = stringOrNull(p, value);
                    case "data" -> audio = value == JsonToken.VALUE_STRING
                            ? Base64Chars.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                            : null;
                    case "status_code" -> statusCode = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                    case "word_timestamps" -> words = value == JsonToken.START_OBJECT ? wordTimestamps(p) : List.of();
                    case "error" -> legacyError = stringOrNull(p, value);
                    case "title" -> title = stringOrNull(p, value);
                    case "message" -> message = stringOrNull(p, value);
                    case "error_code" -> errorCode = stringOrNull(p, value);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("unexpected " + p.currentToken() + " at " + p.currentLocation().offsetDescription());
            }
            return new ServerFrame(type, contextId, audio, words, statusCode, errorText(legacyError, title, message, errorCode, statusCode));
        }
    }

    private static String stringOrNull(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        return p.getText();
    }

    /** {@code {"words":[...],"start":[...],"end":[...]}}, seconds from the context's first audio. */
    private static List<WordTimestamp> wordTimestamps(JsonParser p) throws IOException {
        List<String> words = new ArrayList<>();
        List<Double> starts = new ArrayList<>();
        List<Double> ends = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case "words" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        words.add(p.getValueAsString(""));
                    }
                }
                case "start" -> readNumbers(p, starts);
                case "end" -> readNumbers(p, ends);
                default -> p.skipChildren();
            }
        }
        int n = Math.min(words.size(), Math.min(starts.size(), ends.size()));
        List<WordTimestamp> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new WordTimestamp(words.get(i), starts.get(i), ends.get(i)));
        }
        return out;
    }

    private static void readNumbers(JsonParser p, List<Double> out) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getValueAsDouble());
        }
    }

    /** The 2026 shape is {@code title}, {@code message}, {@code error_code}; older versions send {@code error}. */
    private static String errorText(String legacy, String title, String message, String code, int status) {
        if (legacy == null && title == null && message == null && code == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (title != null) {
            sb.append(title);
        }
        if (message != null) {
            sb.append(sb.isEmpty() ? "" : ": ").append(message);
        }
        if (legacy != null) {
            sb.append(sb.isEmpty() ? "" : "; ").append(legacy);
        }
        if (code != null || status != 0) {
            sb.append(" (");
            if (code != null) {
                sb.append(code).append(status != 0 ? ", " : "");
            }
            if (status != 0) {
                sb.append("status ").append(status);
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
