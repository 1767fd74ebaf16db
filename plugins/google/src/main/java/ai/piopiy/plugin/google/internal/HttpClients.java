package ai.piopiy.plugin.google.internal;

import ai.piopiy.plugin.google.GoogleCredentials;
import ai.piopiy.spi.provider.ProviderContext;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK HTTP client a service brings for its token exchanges and REST requests (HTTP/2 where the
 * server offers it), and its credential's authorization.
 */
public final class HttpClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

    private HttpClients() {}

    public static HttpClient create(ProviderContext context) {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(context.blockingExecutor())
                .build();
    }

    public static Authorization authorization(String service, GoogleCredentials credentials, HttpClient http,
            ProviderContext context) {
        return switch (credentials) {
            case GoogleCredentials.ServiceAccount account ->
                    new ServiceAccountTokens(service, ServiceAccountKey.parse(account.json().reveal()), http, context::nanoTime);
            case GoogleCredentials.ApiKey key -> Authorization.apiKey(key.key());
        };
    }
}
