package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.GoogleTtsConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One bot answer through {@code POST /v1/text:synthesize}. A single worker (a virtual thread, started
 * with the first text) takes the sentences in order and makes one request for each, so audio comes
 * out in the order the text went in. Cancelling cancels the request in flight, which closes its
 * connection, and drops the sentences still queued; no callback is made once {@link #cancel} returns.
 */
public final class SynthesizeUtterance implements TtsUtterance {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Queued after the last sentence: the worker reports done (or, once cancelled, just stops). */
    private static final String END = new String("end of utterance");
    private static final int MAX_ERROR_CHARS = 300;

    private final String name;
    private final GoogleTtsConfig config;
    private final HttpClient http;
    private final Authorization authorization;
    private final ProviderContext context;
    private final int outputRate;
    private final UtteranceOutput output;
    private final BlockingQueue<String> sentences = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
    private boolean finishing; // pipeline thread

    public SynthesizeUtterance(String name, GoogleTtsConfig config, HttpClient http, Authorization authorization,
            ProviderContext context, int outputRate, TtsListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.http = requireNonNull(http, "http is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.context = requireNonNull(context, "context is null");
        this.outputRate = outputRate;
        this.output = new UtteranceOutput(name, context, listener);
    }

    @Override
    public void sendText(String text) {
        requireNonNull(text, "text is null");
        if (output.stopped() || finishing || text.isBlank()) {
            return;
        }
        output.textSent(text);
        sentences.add(text);
        startWorker();
    }

    @Override
    public void finish() {
        if (output.stopped() || finishing) {
            return;
        }
        finishing = true;
        sentences.add(END);
        startWorker();
    }

    @Override
    public void cancel() {
        output.stop();
        sentences.add(END); // wakes a worker waiting for text
        CompletableFuture<?> request = inFlight.get();
        if (request != null) {
            // the JDK client then aborts the exchange: an HTTP/1.1 connection is closed, an HTTP/2 stream reset
            request.cancel(true);
        }
    }

    private void startWorker() {
        if (started.compareAndSet(false, true)) {
            context.blockingExecutor().execute(this::work);
        }
    }

    private void work() {
        try {
            while (!output.stopped()) {
                String text = sentences.take();
                if (text == END) {
                    output.done();
                    return;
                }
                speak(text);
            }
        } catch (ServiceException e) {
            output.fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            output.fail(new ServiceException(name, "unexpected failure while speaking: " + e, false, e));
        }
    }

    private void speak(String text) throws InterruptedException {
        Authorization.Header credential = authorization.header();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.endpoint() + "/v1/text:synthesize"))
                .timeout(config.timeout())
                .header(credential.name(), credential.value())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body(text)))
                .build();
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        inFlight.set(exchange);
        if (output.stopped()) {
            exchange.cancel(true);
            return;
        }
        byte[] wav;
        try {
            HttpResponse<String> response = exchange.get();
            if (response.statusCode() / 100 != 2) {
                if (response.statusCode() == 401) {
                    authorization.rejected();
                }
                throw failure(response.statusCode(), response.body());
            }
            wav = audioContent(response.body());
        } catch (CancellationException e) {
            return;
        } catch (ExecutionException e) {
            if (output.stopped()) {
                return;
            }
            throw new ServiceException(name, "request to " + config.endpoint() + "/v1/text:synthesize failed: " + e.getCause(), false, e.getCause());
        } finally {
            inFlight.set(null);
        }
        Wav.Pcm pcm;
        try {
            pcm = Wav.pcm(wav, outputRate);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(name, "text:synthesize returned audio that is not LINEAR16: " + e.getMessage(), false, e);
        }
        output.audio(pcm.sampleRate() == outputRate ? pcm.samples() : new Resampler(pcm.sampleRate(), outputRate).process(pcm.samples()));
    }

    private String body(String text) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("input").put("text", text);
        body.putObject("voice").put("languageCode", config.language()).put("name", config.voiceId());
        ObjectNode audio = body.putObject("audioConfig")
                .put("audioEncoding", "LINEAR16")
                .put("sampleRateHertz", outputRate)
                .put("speakingRate", config.speakingRate());
        if (config.pitch() != 0) {
            audio.put("pitch", config.pitch());
        }
        if (config.volumeGainDb() != 0) {
            audio.put("volumeGainDb", config.volumeGainDb());
        }
        return body.toString();
    }

    private byte[] audioContent(String answer) {
        try {
            JsonNode json = MAPPER.readTree(answer);
            JsonNode content = json == null ? null : json.get("audioContent");
            if (content == null || !content.isTextual()) {
                throw new ServiceException(name, "text:synthesize answered without audioContent", false, null);
            }
            return Base64.getDecoder().decode(content.asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new ServiceException(name, "text:synthesize answered with a body that is not its JSON: " + e.getClass().getSimpleName(), false, e);
        }
    }

    /** Google's error envelope ({@code {"error":{"code","message","status"}}}); 401 and 403 are fatal. */
    private ServiceException failure(int code, String answer) {
        String detail;
        try {
            JsonNode error = MAPPER.readTree(answer).path("error");
            detail = error.isObject() ? error.path("status").asText("") + ": " + error.path("message").asText("") : null;
        } catch (IOException | RuntimeException e) {
            detail = null;
        }
        if (detail == null) {
            String text = answer.strip();
            detail = text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
        }
        return new ServiceException(name, "HTTP " + code + " from " + config.endpoint() + "/v1/text:synthesize: " + detail,
                code == 401 || code == 403, null);
    }
}
