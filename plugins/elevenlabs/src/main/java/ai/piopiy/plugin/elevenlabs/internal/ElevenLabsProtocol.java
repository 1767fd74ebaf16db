package ai.piopiy.plugin.elevenlabs.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.elevenlabs.ElevenLabsTtsConfig;
import ai.piopiy.plugin.ttswebsocket.Base64Chars;
import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okhttp3.HttpUrl;

/** The JSON and URL of ElevenLabs' single-context stream-input WebSocket. */
public final class ElevenLabsProtocol {

    private static final JsonFactory JSON = new JsonFactory();

    private final ElevenLabsTtsConfig config;
    private final String beginning;

    public ElevenLabsProtocol(ElevenLabsTtsConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.beginning = buildBeginning(config);
    }

    /** {@code <base>/v1/text-to-speech/<voice>/stream-input?model_id=…&output_format=…&sync_alignment=true}. */
    public HttpUrl url(OutputFormat format) {
        HttpUrl.Builder url = BaseUrls.toHttpUrl(config.baseUrl()).newBuilder()
                .addPathSegments("v1/text-to-speech")
                .addPathSegment(config.voiceId())
                .addPathSegment("stream-input")
                .addQueryParameter("model_id", config.model())
                .addQueryParameter("output_format", format.wireName())
                // timing with every audio message, so each message's times start at that message's audio
                .addQueryParameter("sync_alignment", "true");
        config.language().ifPresent(language -> url.addQueryParameter("language_code", language));
        if (config.autoMode()) {
            url.addQueryParameter("auto_mode", "true");
        }
        if (config.inactivityTimeoutSeconds() != ElevenLabsTtsConfig.DEFAULT_INACTIVITY_TIMEOUT_SECONDS) {
            url.addQueryParameter("inactivity_timeout", Integer.toString(config.inactivityTimeoutSeconds()));
        }
        return url.build();
    }

    /**
     * The first message: a single space, with the voice settings and chunk schedule that are only
     * allowed here. Settings left empty are omitted so the voice's stored ones apply.
     */
    public String beginning() {
        return beginning;
    }

    private static String buildBeginning(ElevenLabsTtsConfig config) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("text", " ");
            boolean speed = config.speed() != ElevenLabsTtsConfig.DEFAULT_SPEED;
            if (config.stability().isPresent() || config.similarityBoost().isPresent() || config.style().isPresent()
                    || config.useSpeakerBoost().isPresent() || speed) {
                g.writeObjectFieldStart("voice_settings");
                if (config.stability().isPresent()) {
                    g.writeNumberField("stability", config.stability().get());
                }
                if (config.similarityBoost().isPresent()) {
                    g.writeNumberField("similarity_boost", config.similarityBoost().get());
                }
                if (config.style().isPresent()) {
                    g.writeNumberField("style", config.style().get());
                }
                if (config.useSpeakerBoost().isPresent()) {
                    g.writeBooleanField("use_speaker_boost", config.useSpeakerBoost().get());
                }
                if (speed) {
                    g.writeNumberField("speed", config.speed());
                }
                g.writeEndObject();
            }
            if (!config.chunkLengthSchedule().isEmpty()) {
                g.writeObjectFieldStart("generation_config");
                g.writeArrayFieldStart("chunk_length_schedule");
                for (int length : config.chunkLengthSchedule()) {
                    g.writeNumber(length);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A piece of text. The first piece of an answer is flushed so its audio does not wait for the
     * chunk schedule's 120 characters; later ones only ask the server to generate once it has enough.
     */
    public String text(String text, boolean flush) {
        StringWriter out = new StringWriter(text.length() + 48);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("text", text);
            if (flush) {
                g.writeBooleanField("flush", true);
            } else {
                g.writeBooleanField("try_trigger_generation", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** End of input: the server speaks what is left, sends {@code isFinal} and closes. */
    public String end() {
        return "{\"text\":\"\"}";
    }

    /** Character timing of one audio chunk, in milliseconds from that chunk's start. */
    public record Alignment(List<String> chars, int[] startMs, int[] durationMs) {}

    /**
     * One server message: audio with its alignment, the final marker, or an error.
     *
     * @param audio the decoded audio bytes, or null
     * @param alignment timing of the original text, else of the normalized text, or null
     */
    public record ServerFrame(byte[] audio, Alignment alignment, boolean isFinal, String error, String message) {}

    /**
     * Parses a server message; the base64 audio is decoded straight from the parser's buffer into
     * the array handed on, without an intermediate string or byte buffer.
     *
     * @throws IOException when the text is not a JSON object (the message says where)
     */
    public static ServerFrame parse(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            byte[] audio = null;
            Alignment alignment = null;
            Alignment normalized = null;
            boolean isFinal = false;
            String error = null;
            String message = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "audio" -> audio = value == JsonToken.VALUE_STRING
                            ? Base64Chars.decode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                            : null;
                    case "isFinal" -> isFinal = value == JsonToken.VALUE_TRUE;
                    case "alignment" -> alignment = value == JsonToken.START_OBJECT ? alignment(p) : null;
                    case "normalizedAlignment" -> normalized = value == JsonToken.START_OBJECT ? alignment(p) : null;
                    case "error" -> error = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                    case "message" -> message = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("unexpected " + p.currentToken() + " at " + p.currentLocation().offsetDescription());
            }
            return new ServerFrame(audio, alignment != null ? alignment : normalized, isFinal, error, message);
        }
    }

    private static String skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private static Alignment alignment(JsonParser p) throws IOException {
        List<String> chars = new ArrayList<>();
        int[] starts = new int[0];
        int[] durations = new int[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case "chars" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        chars.add(p.getValueAsString(""));
                    }
                }
                // servers send camelCase; the schema spells them in snake_case, the examples as charsDurationsMs
                case "charStartTimesMs", "char_start_times_ms" -> starts = integers(p);
                case "charDurationsMs", "charsDurationsMs", "char_durations_ms", "chars_durations_ms" -> durations = integers(p);
                default -> p.skipChildren();
            }
        }
        int n = Math.min(chars.size(), Math.min(starts.length, durations.length));
        return new Alignment(chars.subList(0, n), starts, durations);
    }

    private static int[] integers(JsonParser p) throws IOException {
        int[] out = new int[16];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = (int) Math.round(p.getValueAsDouble());
        }
        return Arrays.copyOf(out, n);
    }
}
