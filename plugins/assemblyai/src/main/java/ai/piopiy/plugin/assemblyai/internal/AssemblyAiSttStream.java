package ai.piopiy.plugin.assemblyai.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.assemblyai.AssemblyAiSttConfig;
import ai.piopiy.plugin.ttswebsocket.ReconnectingSttStream;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.WebSocketFailures;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.Request;
import okhttp3.WebSocket;
import okio.ByteString;

/**
 * One call's AssemblyAI streaming session: a WebSocket to {@code /v3/ws}, replaced by a new session when it
 * drops for a reason a new session may not share (the reconnection itself is {@link ReconnectingSttStream}'s).
 *
 * <p>AssemblyAI takes 50 to 1000 ms of audio per binary frame, so the pipeline's frames are gathered into
 * {@code chunkMs} frames; a partial frame is padded with silence when it must go out (a forced endpoint,
 * the close).
 */
public final class AssemblyAiSttStream extends ReconnectingSttStream {

    static final String TERMINATE = "{\"type\":\"Terminate\"}";
    static final String FORCE_ENDPOINT = "{\"type\":\"ForceEndpoint\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AssemblyAiSttConfig config;
    private final String service;
    // guarded by lock
    private final byte[] chunk;
    private int chunkLength;
    private boolean forceEndpointOnOpen;
    private int lastFinalTurn = -1;

    public AssemblyAiSttStream(AssemblyAiSttConfig config, ServiceResources resources, ScheduledExecutorService scheduler,
            Request request, SttStreamSpec spec, SttListener listener) {
        super(resources, scheduler, new Limits(config.closeTimeout(), config.reconnectAttempts(), config.reconnectBackoff(),
                config.reconnectBuffer()), request, spec, listener);
        this.config = config;
        this.service = resources.service();
        this.chunk = new byte[spec.format().bytesPer(config.chunkMs())];
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        requireNonNull(pcm, "pcm is null");
        synchronized (lock) {
            if (closingOrDone()) {
                return;
            }
            while (length > 0) {
                int n = Math.min(length, chunk.length - chunkLength);
                System.arraycopy(pcm, offset, chunk, chunkLength, n);
                chunkLength += n;
                offset += n;
                length -= n;
                if (chunkLength == chunk.length) {
                    shipChunk();
                }
            }
        }
    }

    @Override
    public void userStoppedSpeaking() {
        synchronized (lock) {
            if (closingOrDone()) {
                return;
            }
            markSpeechStopped();
            if (!config.forceEndpointOnStop()) {
                return;
            }
            // the words at the very end are in the partial frame: they go out before the endpoint
            padAndShipChunk();
            if (!sendIfOpen(FORCE_ENDPOINT)) {
                forceEndpointOnOpen = true;
            }
        }
    }

    // ---- hooks (under lock unless said otherwise)

    @Override
    protected String closeMessage() {
        return TERMINATE;
    }

    @Override
    protected void closing() {
        padAndShipChunk();
    }

    @Override
    protected void connected(WebSocket ws) {
        lastFinalTurn = -1; // each session counts its turns from 0
        if (forceEndpointOnOpen) {
            forceEndpointOnOpen = false;
            ws.send(FORCE_ENDPOINT);
        }
    }

    @Override
    protected ServiceException refusal(String reason, int closeCode, int status) {
        return switch (closeCode) {
            case 1008 -> new ServiceException(service, "AssemblyAI refused the session (" + reason
                    + "); check the API key from " + config.apiKey().source() + " and the account's balance", true, null);
            case 3009 -> new ServiceException(service, "AssemblyAI refused the session: the account's limit of concurrent "
                    + "sessions is reached (" + reason + ")", true, null);
            case 3006 -> new ServiceException(service, "AssemblyAI rejected a message of this client (" + reason + ")", true, null);
            default -> status >= 400 && status < 500 && status != 408 && status != 429
                    ? new ServiceException(service, reason + "; check the API key from " + config.apiKey().source()
                            + " and the speech_model setting", true, null)
                    : null;
        };
    }

    private void padAndShipChunk() {
        if (chunkLength > 0) {
            Arrays.fill(chunk, chunkLength, chunk.length, (byte) 0);
            chunkLength = chunk.length;
            shipChunk();
        }
    }

    private void shipChunk() {
        sendAudioFrame(ByteString.of(chunk, 0, chunkLength));
        chunkLength = 0;
    }

    // ---- server messages (not under lock)

    @Override
    protected void onText(WebSocket ws, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            ServiceException error = WebSocketFailures.malformed(resources, e);
            emit(ws, l -> l.onError(error));
            return;
        }
        String type = message.path("type").asText("");
        switch (type) {
            case "Turn" -> onTurn(ws, message);
            case "Begin" -> log.debug("AssemblyAI session {} of call {} began (expires at {})",
                    message.path("id").asText(), callId, message.path("expires_at").asText());
            case "SpeechStarted" -> emit(ws, SttListener::onSpeechStarted);
            case "Termination" -> {
                log.debug("AssemblyAI ended the session of call {}: {} s of audio in {} s", callId,
                        message.path("audio_duration_seconds").asText(), message.path("session_duration_seconds").asText());
                endedByProvider(ws);
            }
            // the SDK knows Error and Warning messages; the close code that follows an error decides what happens next
            case "Error" -> {
                ServiceException error = new ServiceException(service, "AssemblyAI reported error "
                        + message.path("error_code").asText("?") + ": " + resources.redact(message.path("error").asText(excerpt(text))));
                emit(ws, l -> l.onError(error));
            }
            case "Warning" -> log.warn("AssemblyAI warning {} on the stream of call {}: {}",
                    message.path("warning_code").asText("?"), callId, resources.redact(message.path("warning").asText()));
            case "" -> {
                ServiceException error = new ServiceException(service, "a message from AssemblyAI has no type: "
                        + resources.redact(excerpt(text)));
                emit(ws, l -> l.onError(error));
            }
            default -> log.debug("AssemblyAI stream of call {}: ignoring a {} message", callId, type);
        }
    }

    private void onTurn(WebSocket ws, JsonNode message) {
        boolean endOfTurn = message.path("end_of_turn").asBoolean(false);
        // with format_turns, older servers send the end of a turn twice: unformatted, then formatted
        boolean isFinal = endOfTurn && (!config.formatTurns() || message.path("turn_is_formatted").asBoolean(false));
        JsonNode words = message.path("words");
        String language = message.path("language_code").asText(null);
        if (!isFinal) {
            // transcript holds only the finished words; the words still changing are only in words[]
            String text = words.isArray() && !words.isEmpty() ? join(words) : message.path("transcript").asText("");
            if (!text.isBlank()) {
                Transcript interim = new Transcript(text.strip(), false, language, Double.NaN);
                emit(ws, l -> l.onTranscript(interim));
            }
            return;
        }
        String text = message.path("transcript").asText("").strip();
        int turn = message.path("turn_order").asInt(-1);
        synchronized (lock) {
            if (!isCurrent(ws) || (turn >= 0 && turn <= lastFinalTurn)) {
                return;
            }
            lastFinalTurn = Math.max(lastFinalTurn, turn);
        }
        if (text.isEmpty()) {
            return; // a forced endpoint in silence ends an empty turn
        }
        finalArrived();
        Transcript transcript = new Transcript(text, true, language, meanConfidence(words));
        emit(ws, l -> {
            l.onTranscript(transcript);
            l.onUtteranceEnd();
        });
    }

    private static String join(JsonNode words) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode word : words) {
            String w = word.path("text").asText("");
            if (!w.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : " ").append(w);
            }
        }
        return sb.toString();
    }

    private static double meanConfidence(JsonNode words) {
        double sum = 0;
        int n = 0;
        for (JsonNode word : words) {
            if (word.path("confidence").isNumber()) {
                sum += word.get("confidence").asDouble();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static String excerpt(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
