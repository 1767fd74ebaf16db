package ai.piopiy.plugin.llmhttp;

import java.time.Duration;

/**
 * How a completion request is retried when the provider answers 408, 409, 429 or 5xx, or the
 * connection fails, before any output was delivered. A caller is waiting on the line, so the waits
 * are short and a provider asking for a longer pause than {@code maxRetryAfter} is not retried.
 *
 * @param maxRetries retries after the first attempt (0 disables retrying)
 * @param initialBackoff the wait before the first retry when the provider gives no Retry-After; doubled per retry
 * @param maxBackoff the cap of the doubling
 * @param maxRetryAfter the longest Retry-After honoured; a longer one fails at once
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    /** Two retries, 0.5 s then 1 s (as the OpenAI and Anthropic SDKs start), Retry-After up to 10 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries is negative: " + maxRetries);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("negative duration in " + initialBackoff + ", " + maxBackoff + ", " + maxRetryAfter);
        }
    }

    public RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, initialBackoff, maxBackoff, maxRetryAfter);
    }

    /** The wait before retry number {@code retry} (0-based) when the provider gave no Retry-After: doubling, minus up to 25 % jitter. */
    Duration backoff(int retry, double jitter) {
        long nanos = initialBackoff.toNanos() << Math.min(retry, 20);
        nanos = Math.min(nanos, maxBackoff.toNanos());
        return Duration.ofNanos((long) (nanos * (1 - 0.25 * jitter)));
    }
}
