package ai.piopiy.plugin.google.internal;

import ai.piopiy.plugin.google.GoogleCredentials;
import ai.piopiy.spi.provider.ProviderContext;
import java.time.Duration;
import okhttp3.OkHttpClient;

/** The OkHttp client a service brings for its token exchanges and REST requests, and its credential's authorization. */
public final class HttpClients {

    private HttpClients() {}

    public static OkHttpClient create() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(60))
                .build();
    }

    public static Authorization authorization(String service, GoogleCredentials credentials, OkHttpClient http,
            ProviderContext context) {
        return switch (credentials) {
            case GoogleCredentials.ServiceAccount account ->
                    new ServiceAccountTokens(service, ServiceAccountKey.parse(account.json().reveal()), http, context::nanoTime);
            case GoogleCredentials.ApiKey key -> Authorization.apiKey(key.key());
        };
    }

    public static void close(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
