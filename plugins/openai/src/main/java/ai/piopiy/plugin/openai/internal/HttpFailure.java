package ai.piopiy.plugin.openai.internal;

import ai.piopiy.plugin.llmhttp.ProviderError;
import ai.piopiy.plugin.llmhttp.RetryPolicy;
import ai.piopiy.plugin.openai.OpenAiEndpoint;
import ai.piopiy.spi.ServiceException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Response;
import okio.BufferedSource;

/** What the audio endpoints share about a failed response: which are worth retrying, and a message without the key. */
public final class HttpFailure {

    private static final long MAX_ERROR_BODY = 64 * 1024;

    private HttpFailure() {}

    /** 408, 409, 429 (except OpenAI's out-of-credit one, where waiting does not help) and 5xx. */
    public static boolean retryable(int status, ProviderError error) {
        return (status == 408 || status == 409 || status == 429 || status >= 500)
                && !"insufficient_quota".equals(error.code());
    }

    /** The provider's error body, read up to 64 KiB and parsed as OpenAI's (or FastAPI's, or whisper.cpp's) envelope. */
    public static ProviderError error(Response response) {
        try {
            BufferedSource source = response.body().source();
            source.request(MAX_ERROR_BODY);
            return ProviderError.parse(source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), MAX_ERROR_BODY)));
        } catch (IOException e) {
            return new ProviderError("(the error body could not be read: " + e.getMessage() + ")", null, null);
        }
    }

    /** A failure for {@code status}: fatal for 401/403, since a wrong key will not fix itself. */
    public static ServiceException of(String service, OpenAiEndpoint endpoint, Response response, ProviderError error,
            int attempts) {
        int status = response.code();
        String what = "HTTP " + status + " from " + response.request().url() + ": " + error.describe()
                + (attempts > 1 ? " (gave up after " + attempts + " attempts)" : "");
        return new ServiceException(service, endpoint.redact(what), status == 401 || status == 403, null);
    }

    /** The wait before retry number {@code attempt} (0-based): doubling from the policy's first wait, capped. */
    public static Duration backoff(RetryPolicy retry, int attempt) {
        long nanos = retry.initialBackoff().toNanos() << Math.min(attempt, 20);
        return Duration.ofNanos(Math.min(nanos, retry.maxBackoff().toNanos()));
    }
}
