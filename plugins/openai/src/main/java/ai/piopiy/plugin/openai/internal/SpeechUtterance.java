package ai.piopiy.plugin.openai.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.ProviderError;
import ai.piopiy.plugin.openai.OpenAiTtsConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * One bot answer through the speech API: each piece of text is its own request, made after the
 * previous piece's audio has all arrived, and its PCM body is resampled and delivered chunk by chunk as
 * it is read. Cancelling cancels the request in flight (closing its socket) and drops the pieces not
 * yet spoken; nothing reaches the listener once {@link #cancel} has returned.
 */
public final class SpeechUtterance implements TtsUtterance {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int CHUNK = 8192;

    private final String name;
    private final OpenAiTtsConfig config;
    private final OkHttpClient http;
    private final ProviderContext context;
    private final TtsListener listener;
    private final Resampler resampler;
    private final AtomicReference<Call> call = new AtomicReference<>();
    /** Held while the listener is called, so that nothing reaches it once cancel() has returned. */
    private final ReentrantLock delivery = new ReentrantLock();
    private boolean finished; // guarded by delivery: a terminal callback was made, or the utterance was cancelled
    private volatile boolean stopped;
    private long startNanos = -1; // pipeline thread: the first sendText
    private boolean firstAudio; // the utterance's worker thread
    private boolean finishing; // pipeline thread
    /** The last piece's work; the next one starts after it. Only the pipeline thread chains onto it. */
    private CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);

    public SpeechUtterance(String name, OpenAiTtsConfig config, OkHttpClient http, ProviderContext context,
            int outputRate, TtsListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.http = requireNonNull(http, "http is null");
        this.context = requireNonNull(context, "context is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.resampler = new Resampler(OpenAiTtsConfig.PCM_RATE, outputRate);
    }

    @Override
    public void sendText(String text) {
        requireNonNull(text, "text is null");
        if (stopped || finishing || text.isBlank()) {
            return;
        }
        if (startNanos < 0) {
            startNanos = context.nanoTime();
        }
        lane = lane.thenRunAsync(() -> speak(text), context.blockingExecutor());
    }

    @Override
    public void finish() {
        if (stopped || finishing) {
            return;
        }
        finishing = true;
        lane = lane.thenRunAsync(() -> deliver(true, listener::onDone), context.blockingExecutor());
    }

    @Override
    public void cancel() {
        stopped = true;
        Call current = call.get();
        if (current != null) {
            current.cancel();
        }
        delivery.lock();
        try {
            finished = true;
        } finally {
            delivery.unlock();
        }
    }

    private void speak(String text) {
        if (stopped || isFinished()) {
            return;
        }
        try {
            stream(text);
            context.metrics().record(new Metric.TtsCharacters(name, text.length()));
        } catch (ServiceException e) {
            fail(e);
        } catch (IOException e) {
            if (!stopped) {
                fail(new ServiceException(name, config.endpoint().redact("connection to " + config.endpoint().baseUrl()
                        + " failed while speaking: " + e), e));
            }
        } catch (RuntimeException e) {
            fail(new ServiceException(name, config.endpoint().redact("unexpected failure: " + e), e));
        }
    }

    private void stream(String text) throws IOException {
        Call current = http.newCall(request(text));
        call.set(current);
        if (stopped) {
            current.cancel();
            return;
        }
        try (Response response = current.execute()) {
            if (!response.isSuccessful()) {
                ProviderError error = HttpFailure.error(response);
                throw HttpFailure.of(name, config.endpoint(), response, error, 1);
            }
            BufferedSource body = response.body().source();
            byte[] buffer = new byte[CHUNK + 1];
            int carried = 0; // a sample's first byte left over from the previous read
            int read;
            while ((read = body.read(buffer, carried, CHUNK)) != -1) {
                int total = carried + read;
                int whole = total & ~1;
                if (whole > 0) {
                    byte[] pcm = resampler.process(buffer, 0, whole);
                    if (pcm.length > 0) {
                        audio(pcm);
                    }
                }
                carried = total - whole;
                if (carried == 1) {
                    buffer[0] = buffer[total - 1];
                }
            }
        }
    }

    private Request request(String text) {
        ObjectNode body = MAPPER.createObjectNode()
                .put("model", config.model())
                .put("input", text)
                .put("voice", config.voice())
                .put("response_format", "pcm")
                .put("speed", config.speed());
        config.instructions().ifPresent(i -> body.put("instructions", i));
        Request.Builder builder = new Request.Builder()
                .url(config.endpoint().url("/audio/speech"))
                .post(RequestBody.create(body.toString(), JSON));
        config.endpoint().apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key.reveal()));
        return builder.build();
    }

    private void audio(byte[] pcm) {
        if (!firstAudio) {
            firstAudio = true;
            context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - startNanos));
        }
        deliver(false, () -> listener.onAudio(pcm));
    }

    private void fail(ServiceException error) {
        deliver(true, () -> listener.onError(error));
    }

    private boolean isFinished() {
        delivery.lock();
        try {
            return finished;
        } finally {
            delivery.unlock();
        }
    }

    private void deliver(boolean terminal, Runnable callback) {
        delivery.lock();
        try {
            // stopped too: cancel() cancels the call before it takes this lock, and the worker must not
            // slip an onDone in between once the cancelled read has ended its piece
            if (finished || stopped) {
                return;
            }
            finished = terminal;
            callback.run();
        } finally {
            delivery.unlock();
        }
    }
}
