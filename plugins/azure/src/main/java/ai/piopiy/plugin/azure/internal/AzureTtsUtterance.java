package ai.piopiy.plugin.azure.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.azure.AzureTtsConfig;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.plugin.ttswebsocket.StreamingTtsUtterance;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.tts.TtsListener;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * One bot answer through the synthesis REST API: each piece of text is its own POST, made once the
 * previous piece's audio has all arrived, and its headerless PCM body is delivered chunk by chunk as it
 * is read. Cancelling cancels the request in flight, which closes its connection. The shared
 * {@link StreamingTtsUtterance} keeps the listener discipline (one terminal callback, nothing after
 * cancel), the resampling and the metrics.
 */
public final class AzureTtsUtterance extends StreamingTtsUtterance {

    private static final MediaType SSML = MediaType.get("application/ssml+xml");
    private static final int CHUNK = 8192;

    private final AzureTtsConfig config;
    private final OkHttpClient http;
    private final Executor requests;
    private final OutputFormat format;
    private final String name;
    private final String userAgent;
    private final ServiceResources resources;
    private CompletableFuture<Void> lane = CompletableFuture.completedFuture(null); // guarded by this
    private Call inFlight; // guarded by this

    public AzureTtsUtterance(ServiceResources resources, AzureTtsConfig config, OkHttpClient http, Executor requests,
            OutputFormat format, int sessionRate, String userAgent, TtsListener listener) {
        super(resources, listener, format.sampleRate() == sessionRate ? null : new Resampler(format.sampleRate(), sessionRate));
        this.resources = resources;
        this.name = resources.service();
        this.config = requireNonNull(config, "config is null");
        this.http = requireNonNull(http, "http is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.format = requireNonNull(format, "format is null");
        this.userAgent = requireNonNull(userAgent, "userAgent is null");
    }

    @Override
    protected void sendPiece(String piece, boolean first) {
        if (!piece.isBlank()) { // a request without words is refused or wasted
            lane = lane.thenRunAsync(() -> speak(piece), requests);
        }
    }

    @Override
    protected void sendEnd() {
        lane = lane.thenRunAsync(this::complete, requests);
    }

    @Override
    protected void sendCancel(boolean textSent) {
        if (inFlight != null) {
            inFlight.cancel();
        }
    }

    private void speak(String text) {
        Call call;
        synchronized (this) {
            if (hasEnded()) {
                return;
            }
            call = http.newCall(request(text));
            inFlight = call;
        }
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                fail(HttpErrors.of(resources, config, response));
                return;
            }
            stream(response.body().source());
        } catch (IOException e) {
            if (!hasEnded()) {
                fail(new ServiceException(name, "the connection to " + config.url() + " failed while speaking: "
                        + resources.redact(String.valueOf(e.getMessage()))));
            }
        } catch (RuntimeException e) {
            // anything thrown here would skip the rest of the lane, and with it the terminal callback
            fail(new ServiceException(name, "unexpected failure while speaking: " + resources.redact(e.toString()), e));
        } finally {
            synchronized (this) {
                if (inFlight == call) {
                    inFlight = null;
                }
            }
        }
    }

    private Request request(String text) {
        return new Request.Builder()
                .url(config.url())
                .header("Ocp-Apim-Subscription-Key", config.account().apiKey().reveal())
                .header("X-Microsoft-OutputFormat", format.header())
                .header("User-Agent", userAgent)
                .post(RequestBody.create(Ssml.of(config.voice(), config.language(), config.speed(), text), SSML))
                .build();
    }

    /** Delivers whole samples as they arrive; a sample split across reads waits for its second byte. */
    private void stream(BufferedSource body) throws IOException {
        byte[] buffer = new byte[CHUNK + 1];
        int carried = 0;
        int read;
        while ((read = body.read(buffer, carried, CHUNK)) != -1) {
            int total = carried + read;
            int whole = total & ~1;
            if (whole > 0) {
                deliverAudio(Arrays.copyOf(buffer, whole));
            }
            carried = total - whole;
            if (carried == 1) {
                buffer[0] = buffer[total - 1];
            }
            if (hasEnded()) {
                return;
            }
        }
    }
}
