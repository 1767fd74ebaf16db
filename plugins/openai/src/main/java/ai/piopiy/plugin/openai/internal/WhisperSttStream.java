package ai.piopiy.plugin.openai.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.ProviderError;
import ai.piopiy.plugin.openai.WhisperSttConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SegmentedSttStream;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One call's segmented recognition over the transcription API: the SPI's {@link SegmentedSttStream}
 * collects each VAD segment; this uploads it as a WAV, retrying what the policy allows.
 */
public final class WhisperSttStream extends SegmentedSttStream {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType WAV = MediaType.get("audio/wav");

    private final WhisperSttConfig config;
    private final OkHttpClient http;

    public WhisperSttStream(String name, WhisperSttConfig config, OkHttpClient http, ProviderContext context,
            SttStreamSpec spec, SttListener listener) {
        super(name, context, spec, listener, config.preRoll(), config.maxSegment());
        this.config = requireNonNull(config, "config is null");
        this.http = requireNonNull(http, "http is null");
    }

    @Override
    protected String transcribe(byte[] pcm) throws InterruptedException {
        return post(Wav.encode(pcm, 0, pcm.length, spec.format().sampleRate()));
    }

    @Override
    protected Transcript transcript(String text) {
        return new Transcript(text, true, config.language().orElse(null), Double.NaN);
    }

    @Override
    protected String failureMessage(RuntimeException e) {
        return "unexpected failure transcribing a segment of call " + spec.callId() + ": " + config.endpoint().redact(e.toString());
    }

    /** Uploads one segment, retrying what the policy allows; returns the transcript, stripped. */
    private String post(byte[] wav) throws InterruptedException {
        Request request = request(wav);
        for (int attempt = 0; ; attempt++) {
            Call call = http.newCall(request);
            // the whole upload and answer, not only each read, must fit in the timeout
            call.timeout().timeout(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                if (response.isSuccessful()) {
                    return text(response.body().string());
                }
                ProviderError error = HttpFailure.error(response);
                if (!HttpFailure.retryable(response.code(), error) || attempt >= config.retry().maxRetries()) {
                    throw HttpFailure.of(name, config.endpoint(), response, error, attempt + 1);
                }
                context.logger().warn("{}: HTTP {} ({}); retrying", name, response.code(),
                        config.endpoint().redact(error.describe()));
            } catch (IOException e) {
                if (attempt >= config.retry().maxRetries()) {
                    throw new ServiceException(name, config.endpoint().redact("transcription request to "
                            + request.url() + " failed: " + e + (attempt > 0 ? " (gave up after " + (attempt + 1)
                            + " attempts)" : "")), e);
                }
                context.logger().warn("{}: {}; retrying", name, config.endpoint().redact(e.toString()));
            }
            TimeUnit.NANOSECONDS.sleep(HttpFailure.backoff(config.retry(), attempt).toNanos());
        }
    }

    private Request request(byte[] wav) {
        MultipartBody.Builder form = new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                .addFormDataPart("file", "audio.wav", RequestBody.create(wav, WAV))
                .addFormDataPart("model", config.model())
                .addFormDataPart("response_format", "json");
        config.language().ifPresent(language -> form.addFormDataPart("language", language));
        config.prompt().ifPresent(prompt -> form.addFormDataPart("prompt", prompt));
        Request.Builder builder = new Request.Builder().url(config.endpoint().url("/audio/transcriptions")).post(form.build());
        config.endpoint().apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key.reveal()));
        return builder.build();
    }

    /** The {@code text} of a json response; an {@code error} key is a failure even with status 200 (older whisper.cpp). */
    private String text(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw malformed(body);
        }
        if (root == null || !root.isObject()) {
            throw malformed(body);
        }
        if (root.has("error")) {
            throw new ServiceException(name, config.endpoint().redact("the server reported an error: "
                    + ProviderError.fromJson(root).describe()), false, null);
        }
        JsonNode text = root.get("text");
        if (text == null || !text.isTextual()) {
            throw malformed(body);
        }
        return text.asText().strip();
    }

    private ServiceException malformed(String body) {
        String excerpt = body.length() <= 120 ? body : body.substring(0, 120) + "...";
        return new ServiceException(name, config.endpoint().redact(
                "malformed transcription response (expected JSON with a \"text\" string): " + excerpt), false, null);
    }
}
