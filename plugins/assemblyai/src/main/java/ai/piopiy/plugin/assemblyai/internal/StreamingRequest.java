package ai.piopiy.plugin.assemblyai.internal;

import ai.piopiy.plugin.assemblyai.AssemblyAiSttConfig;
import ai.piopiy.plugin.ttswebsocket.BaseUrls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** The WebSocket upgrade request for {@code /v3/ws}: query parameters and the raw-key {@code Authorization} header. */
public final class StreamingRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamingRequest() {}

    /** @param sampleRate the stream's rate; the audio is always PCM16 LE mono, Piopiy's one audio format */
    public static Request of(AssemblyAiSttConfig config, int sampleRate) {
        HttpUrl.Builder url = BaseUrls.toHttpUrl(config.url()).newBuilder()
                .addQueryParameter("sample_rate", Integer.toString(sampleRate))
                .addQueryParameter("encoding", "pcm_s16le")
                .addQueryParameter("speech_model", config.speechModel())
                .addQueryParameter("format_turns", Boolean.toString(config.formatTurns()))
                .addQueryParameter("end_of_turn_confidence_threshold", Double.toString(config.endOfTurnConfidenceThreshold()))
                .addQueryParameter("min_turn_silence", Integer.toString(config.minTurnSilenceMs()))
                .addQueryParameter("max_turn_silence", Integer.toString(config.maxTurnSilenceMs()));
        if (!config.keytermsPrompt().isEmpty()) {
            // lists travel as JSON text in one parameter
            try {
                url.addQueryParameter("keyterms_prompt", JSON.writeValueAsString(config.keytermsPrompt()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Request.Builder()
                .url(url.build())
                .header("Authorization", config.apiKey().reveal())
                .header("AssemblyAI-Version", config.apiVersion())
                .build();
    }
}
