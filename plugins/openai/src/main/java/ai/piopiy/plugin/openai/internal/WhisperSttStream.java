package ai.piopiy.plugin.openai.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.ProviderError;
import ai.piopiy.plugin.openai.WhisperSttConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One call's segmented recognition over the transcription API. Audio waits in a pre-roll ring until
 * the VAD hears speech, is collected until it hears the end, and the segment is then uploaded as a WAV
 * on a blocking thread. A call's segments are transcribed one after another, so transcripts arrive in
 * order and the listener is never called twice at once.
 */
public final class WhisperSttStream implements SttStream {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType WAV = MediaType.get("audio/wav");

    private final String name;
    private final WhisperSttConfig config;
    private final OkHttpClient http;
    private final ProviderContext context;
    private final SttStreamSpec spec;
    private final SttListener listener;
    private final byte[] ring;
    private final int maxSegmentBytes;
    private long ringWritten;
    private byte[] segment = new byte[0];
    private int segmentLength;
    private boolean collecting;
    private boolean truncated;
    private boolean closed;
    /** The last transcription of this call; the next one starts after it. */
    private volatile CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);

    public WhisperSttStream(String name, WhisperSttConfig config, OkHttpClient http, ProviderContext context,
            SttStreamSpec spec, SttListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.http = requireNonNull(http, "http is null");
        this.context = requireNonNull(context, "context is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.ring = new byte[spec.format().bytesPer((int) config.preRoll().toMillis())];
        this.maxSegmentBytes = spec.format().bytesPer((int) config.maxSegment().toMillis());
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        if (closed) {
            return;
        }
        if (collecting) {
            collect(pcm, offset, length);
            return;
        }
        if (ring.length == 0) {
            return;
        }
        // only the last ring.length bytes can matter
        int skip = Math.max(0, length - ring.length);
        ringWritten += skip;
        int kept = length - skip;
        int at = (int) (ringWritten % ring.length);
        int first = Math.min(kept, ring.length - at);
        System.arraycopy(pcm, offset + skip, ring, at, first);
        System.arraycopy(pcm, offset + skip + first, ring, 0, kept - first);
        ringWritten += kept;
    }

    @Override
    public void userStartedSpeaking() {
        if (closed || collecting) {
            return;
        }
        collecting = true;
        truncated = false;
        segmentLength = 0;
        int kept = (int) Math.min(ringWritten, ring.length);
        int start = ring.length == 0 ? 0 : (int) ((ringWritten - kept) % ring.length);
        int first = Math.min(kept, ring.length - start);
        collect(ring, start, first);
        collect(ring, 0, kept - first);
        ringWritten = 0;
    }

    @Override
    public void userStoppedSpeaking() {
        if (closed || !collecting) {
            return;
        }
        collecting = false;
        byte[] wav = Wav.encode(segment, 0, segmentLength, spec.format().sampleRate());
        long stoppedAt = context.nanoTime();
        // exceptionally: a segment that failed in an unforeseen way must not stop the call's later ones
        lane = lane.exceptionally(e -> null).thenRunAsync(() -> transcribe(wav, stoppedAt), context.blockingExecutor());
    }

    private void collect(byte[] pcm, int offset, int length) {
        int room = maxSegmentBytes - segmentLength;
        if (length > room) {
            if (!truncated) {
                truncated = true;
                context.logger().warn("call {}: speech longer than {} s; the rest of this segment is not transcribed",
                        spec.callId(), config.maxSegment().toSeconds());
            }
            length = room;
        }
        if (segmentLength + length > segment.length) {
            int grown = Math.max(segment.length * 2, spec.format().bytesPer(2_000));
            segment = Arrays.copyOf(segment, Math.min(maxSegmentBytes, Math.max(segmentLength + length, grown)));
        }
        System.arraycopy(pcm, offset, segment, segmentLength, length);
        segmentLength += length;
    }

    private void transcribe(byte[] wav, long stoppedAt) {
        try {
            String text = post(wav);
            if (!text.isEmpty()) {
                context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - stoppedAt));
                listener.onTranscript(new Transcript(text, true, config.language().orElse(null), Double.NaN));
            }
        } catch (ServiceException e) {
            listener.onError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            listener.onError(new ServiceException(name, "unexpected failure transcribing a segment of call "
                    + spec.callId() + ": " + config.endpoint().redact(e.toString()), false, e));
        }
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

    /** Segments already uploading are still reported; speech still being collected is dropped. */
    @Override
    public void close() {
        closed = true;
        collecting = false;
        segment = new byte[0];
    }

    /** Completes when every segment handed over so far has been transcribed and reported. */
    public CompletableFuture<Void> idle() {
        return lane;
    }
}
