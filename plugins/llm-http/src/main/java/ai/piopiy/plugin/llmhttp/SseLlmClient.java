package ai.piopiy.plugin.llmhttp;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.llmhttp.internal.SseReader;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;

/**
 * Runs streamed chat completions over HTTP with server-sent events, for any provider whose
 * protocol an {@link SseDecoder} knows. It owns what every such provider needs the same way:
 * one OkHttp client for the service; a virtual thread per completion (from the context's blocking
 * executor) that makes the request, retries 408/409/429/5xx and connection failures while nothing
 * was delivered yet, reads the events and calls the listener; cancellation that closes the socket;
 * time to first byte and token usage through the context's metrics; error messages with the
 * provider's own words and never the API key.
 */
public final class SseLlmClient implements AutoCloseable {

    private static final long MAX_ERROR_BODY = 64 * 1024;

    private final String name;
    private final String model;
    private final Optional<Secret> secret;
    private final RetryPolicy retry;
    private final ProviderContext context;
    private final Optional<StandaloneContext> ownContext;
    private final Logger log;
    /** Built on the first request: building reads the JDK's certificates, which start-up does not need. */
    private final OkHttpClient.Builder httpBuilder;
    private OkHttpClient http; // guarded by this
    private final Set<RealStream> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param name the service name used in messages and metrics ({@code openai})
     * @param model the model, for the token-usage metric
     * @param secret the API key, redacted from any provider message that would echo it
     * @param readTimeout the longest silence tolerated while waiting for the next bytes
     */
    public SseLlmClient(String name, String model, Optional<Secret> secret, RetryPolicy retry, Duration readTimeout,
            ProviderContext context) {
        this(name, model, secret, retry, readTimeout, context, Optional.empty());
    }

    /** A client for use without the runtime, on a {@link StandaloneContext} of its own that {@link #close} closes. */
    public static SseLlmClient standalone(String name, String model, Optional<Secret> secret, RetryPolicy retry,
            Duration readTimeout) {
        StandaloneContext context = new StandaloneContext(name);
        return new SseLlmClient(name, model, secret, retry, readTimeout, context, Optional.of(context));
    }

    private SseLlmClient(String name, String model, Optional<Secret> secret, RetryPolicy retry, Duration readTimeout,
            ProviderContext context, Optional<StandaloneContext> ownContext) {
        this.name = requireNonNull(name, "name is null");
        this.model = requireNonNull(model, "model is null");
        this.secret = requireNonNull(secret, "secret is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.context = requireNonNull(context, "context is null");
        this.ownContext = ownContext;
        this.log = context.logger();
        this.httpBuilder = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofSeconds(10))
                .readTimeout(requireNonNull(readTimeout, "readTimeout is null"));
    }

    private synchronized OkHttpClient http() {
        if (http == null) {
            http = httpBuilder.build();
        }
        return http;
    }

    /**
     * Starts a completion on its own thread and returns at once.
     *
     * @param request makes the HTTP request; called on the stream's thread, so a request that
     *     cannot be built (an invalid tool schema) is reported through {@link LlmListener#onError}
     * @throws IllegalStateException after {@link #close}
     */
    public LlmStream stream(Supplier<Request> request, SseDecoder decoder, LlmListener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(decoder, "decoder is null");
        requireNonNull(listener, "listener is null");
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        RealStream stream = new RealStream(request, decoder, listener);
        active.add(stream);
        try {
            context.blockingExecutor().execute(stream);
        } catch (RejectedExecutionException e) {
            active.remove(stream);
            throw new IllegalStateException(name + ": the host's executor is shut down", e);
        }
        return stream;
    }

    /** Ends streams still running (they get onError), and stops OkHttp's pool so no thread outlives the service. */
    @Override
    public void close() {
        closed = true;
        for (RealStream stream : active) {
            stream.abort(new ServiceException(name, "the service was closed while the answer was streaming"));
        }
        OkHttpClient built;
        synchronized (this) {
            built = http;
        }
        if (built != null) {
            built.dispatcher().executorService().shutdown();
            built.connectionPool().evictAll();
        }
        ownContext.ifPresent(StandaloneContext::close);
    }

    private final class RealStream implements LlmStream, LlmOutput, Runnable {

        private final Supplier<Request> requestFactory;
        private final SseDecoder decoder;
        private final LlmListener listener;
        private final long startNanos = context.nanoTime();
        private final AtomicReference<Call> call = new AtomicReference<>();
        private final CountDownLatch stopSignal = new CountDownLatch(1);
        /** Held while the listener is called, so that nothing reaches it once cancel() has returned. */
        private final ReentrantLock delivery = new ReentrantLock();
        private boolean finished; // guarded by delivery: a terminal callback was made, or the stream was stopped
        private volatile boolean stopped;
        private boolean delivered; // guarded by delivery; written on the stream thread, which also reads it unlocked

        RealStream(Supplier<Request> requestFactory, SseDecoder decoder, LlmListener listener) {
            this.requestFactory = requestFactory;
            this.decoder = decoder;
            this.listener = listener;
        }

        @Override
        public void cancel() {
            stop();
            delivery.lock();
            try {
                finished = true;
            } finally {
                delivery.unlock();
            }
        }

        void abort(ServiceException error) {
            stop();
            fail(error);
        }

        private void stop() {
            stopped = true;
            stopSignal.countDown();
            Call current = call.get();
            if (current != null) {
                current.cancel();
            }
            active.remove(this);
        }

        @Override
        public void run() {
            try {
                exchange();
            } catch (ServiceException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(new ServiceException(name, "unexpected failure: " + e, e));
            } finally {
                active.remove(this);
            }
        }

        private void exchange() {
            Request request = buildRequest();
            for (int attempt = 0; ; attempt++) {
                Call current = http().newCall(request);
                call.set(current);
                if (stopped) {
                    current.cancel();
                    return;
                }
                Duration wait;
                try (Response response = current.execute()) {
                    if (response.isSuccessful()) {
                        readEvents(response.body().source());
                        return;
                    }
                    wait = retryWait(response, attempt);
                } catch (IOException e) {
                    if (stopped) {
                        return;
                    }
                    if (e instanceof SseReader.SseFormatException || delivered || attempt >= retry.maxRetries()) {
                        throw connectionFailure(e, attempt);
                    }
                    wait = retry.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                    log.warn("{}: {} (attempt {}); retrying in {} ms", name, e.toString(), attempt + 1, wait.toMillis());
                }
                if (!pause(wait)) {
                    return;
                }
            }
        }

        private Request buildRequest() {
            try {
                return requestFactory.get();
            } catch (ServiceException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ServiceException(name, "could not build the request: " + e.getMessage(), e);
            }
        }

        private void readEvents(BufferedSource body) throws IOException {
            SseReader reader = new SseReader(body);
            boolean complete = reader.read((event, data) -> {
                try {
                    return decoder.onEvent(event, data, this);
                } catch (JacksonException e) {
                    throw new ServiceException(name, "malformed event from the provider (" + e.getOriginalMessage()
                            + "): " + excerpt(data), e);
                }
            });
            if (stopped) {
                return;
            }
            if (!complete && !decoder.onEndOfBody(this)) {
                throw new ServiceException(name, "the stream ended before " + decoder.finalEventName()
                        + ": the provider closed the connection early");
            }
            complete();
        }

        /** The wait before retrying a failed response, or throws the failure when it is not to be retried. */
        private Duration retryWait(Response response, int attempt) {
            int status = response.code();
            String body = readBounded(response.body());
            ProviderError error = ProviderError.parse(body);
            String shouldRetry = response.header("x-should-retry");
            boolean retryable = shouldRetry != null
                    ? shouldRetry.equals("true")
                    : (status == 408 || status == 409 || status == 429 || status >= 500)
                            // OpenAI's out-of-credit 429: waiting does not help
                            && !"insufficient_quota".equals(error.code());
            String what = "HTTP " + status + " from " + response.request().url() + ": " + redact(error.describe());
            if (retryable && attempt < retry.maxRetries()) {
                Duration asked = retryAfter(response);
                if (asked == null) {
                    asked = ProviderError.retryDelay(body);
                }
                if (asked == null) {
                    Duration wait = retry.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                    log.warn("{}: {}; retrying in {} ms", name, what, wait.toMillis());
                    return wait;
                }
                if (asked.compareTo(retry.maxRetryAfter()) <= 0) {
                    log.warn("{}: {}; retrying in {} ms as the provider asks", name, what, asked.toMillis());
                    return asked;
                }
                what += " (the provider asks to retry after " + asked.toSeconds() + " s, longer than the "
                        + retry.maxRetryAfter().toSeconds() + " s a caller can wait)";
            }
            if (attempt > 0) {
                what += " (gave up after " + (attempt + 1) + " attempts)";
            }
            throw new ServiceException(name, what, status == 401 || status == 403, null);
        }

        private ServiceException connectionFailure(IOException e, int attempt) {
            String what;
            if (e instanceof SseReader.SseFormatException) {
                what = "malformed event stream: " + e.getMessage();
            } else if (e instanceof SocketTimeoutException) {
                what = "no data from the provider within the read timeout (" + e.getMessage() + ")";
            } else if (delivered) {
                what = "connection lost while the answer was streaming: " + e;
            } else {
                what = "request failed: " + e + (attempt > 0 ? " (gave up after " + (attempt + 1) + " attempts)" : "");
            }
            return new ServiceException(name, redact(what), e);
        }

        /** Sleeps between attempts; false when the stream was stopped meanwhile. */
        private boolean pause(Duration wait) {
            try {
                return !stopSignal.await(wait.toNanos(), TimeUnit.NANOSECONDS) && !stopped;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        // ---- output, forwarded to the listener while the stream is live

        @Override
        public void text(String text) {
            deliver(Delivery.OUTPUT, () -> listener.onText(text));
        }

        @Override
        public void toolCall(ToolCall toolCall) {
            deliver(Delivery.OUTPUT, () -> listener.onToolCall(toolCall));
        }

        @Override
        public void usage(TokenUsage usage) {
            deliver(Delivery.INFO, () -> {
                context.metrics().record(new Metric.LlmTokenUsage(name, model, usage.promptTokens(), usage.completionTokens()));
                listener.onUsage(usage);
            });
        }

        private void complete() {
            deliver(Delivery.TERMINAL, listener::onComplete);
        }

        private void fail(ServiceException error) {
            deliver(Delivery.TERMINAL, () -> listener.onError(error));
        }

        /** Calls the listener under the delivery lock, unless the stream is already finished or stopped. */
        private void deliver(Delivery kind, Runnable callback) {
            delivery.lock();
            try {
                if (finished) {
                    return;
                }
                if (kind == Delivery.OUTPUT && !delivered) {
                    delivered = true;
                    long nanos = context.nanoTime() - startNanos;
                    context.metrics().record(new Metric.TimeToFirstByte(name, nanos));
                    log.debug("{}: first token after {} ms", name, TimeUnit.NANOSECONDS.toMillis(nanos));
                }
                if (kind == Delivery.TERMINAL) {
                    finished = true;
                }
                callback.run();
            } finally {
                delivery.unlock();
            }
        }
    }

    private enum Delivery {
        /** Text or a tool call: the first one is the time to first byte, and ends retrying. */
        OUTPUT,
        INFO,
        TERMINAL
    }

    private String redact(String text) {
        return secret.filter(s -> !s.isEmpty()).map(s -> text.replace(s.reveal(), "****")).orElse(text);
    }

    private static String readBounded(ResponseBody body) {
        try {
            BufferedSource source = body.source();
            source.request(MAX_ERROR_BODY);
            return source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), MAX_ERROR_BODY));
        } catch (IOException e) {
            return "(the error body could not be read: " + e.getMessage() + ")";
        }
    }

    /** {@code retry-after-ms} (the SDKs' extension), else {@code Retry-After} in seconds or as an HTTP date; null if absent or unreadable. */
    private static Duration retryAfter(Response response) {
        String ms = response.header("retry-after-ms");
        if (ms != null) {
            try {
                return nonNegative(Duration.ofNanos((long) (Double.parseDouble(ms.trim()) * 1e6)));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = response.header("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return nonNegative(Duration.ofNanos((long) (Double.parseDouble(value.trim()) * 1e9)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return nonNegative(until);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String excerpt(String data) {
        return data.length() <= 120 ? data : data.substring(0, 120) + "...";
    }
}
