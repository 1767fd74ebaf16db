package ai.piopiy.plugin.google.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Access tokens for a service account by the OAuth 2.0 JWT-bearer grant (RFC 7523): a JWT signed
 * with the account's key (RS256) is posted to the key file's {@code token_uri}, which answers with
 * a bearer token valid for about an hour. A token is reused until {@link #REFRESH_MARGIN} before it
 * expires, so a call pays for the exchange at most once an hour. Only one exchange runs at a time;
 * threads asking meanwhile wait for its result.
 */
public final class ServiceAccountTokens implements Authorization {

    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_ERROR_CHARS = 300;

    private final String service;
    private final ServiceAccountKey key;
    private final HttpClient http;
    private final LongSupplier nanoTime;
    private Header current; // guarded by this
    private long expiresAtNanos; // guarded by this

    /**
     * @param service the service name errors carry
     * @param nanoTime the monotonic clock expiry is measured with
     */
    public ServiceAccountTokens(String service, ServiceAccountKey key, HttpClient http, LongSupplier nanoTime) {
        this.service = requireNonNull(service, "service is null");
        this.key = requireNonNull(key, "key is null");
        this.http = requireNonNull(http, "http is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    @Override
    public synchronized Header header() throws InterruptedException {
        if (current == null || nanoTime.getAsLong() - expiresAtNanos >= 0) {
            long before = nanoTime.getAsLong();
            Token token = exchange();
            current = new Header("authorization", "Bearer " + token.accessToken());
            expiresAtNanos = before + Math.max(0, token.expiresIn().minus(REFRESH_MARGIN).toNanos());
        }
        return current;
    }

    @Override
    public synchronized void rejected() {
        current = null;
    }

    private Token exchange() throws InterruptedException {
        String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, UTF_8) + "&assertion=" + assertion();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(key.tokenUri()))
                    .timeout(HttpClients.TOKEN_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ServiceException(service, "the key file's token_uri is not a usable URL: " + key.tokenUri(), true, null);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ServiceException(service, "the token endpoint " + key.tokenUri() + " timed out", false, e);
        } catch (IOException e) {
            throw new ServiceException(service, "could not reach the token endpoint " + key.tokenUri() + ": " + e, false, e);
        }
        if (response.statusCode() / 100 != 2) {
            // 400 and 401 mean the key itself is refused (invalid_grant, a deleted key): retrying cannot help
            int code = response.statusCode();
            throw new ServiceException(service, "the token endpoint " + key.tokenUri() + " refused service account "
                    + key.clientEmail() + " (HTTP " + code + "): " + describeError(response.body()),
                    code == 400 || code == 401 || code == 403, null);
        }
        return Token.parse(response.body()).orElseThrow(() -> new ServiceException(service, "the token endpoint "
                + key.tokenUri() + " answered without an access_token and expires_in", false, null));
    }

    /** The signed JWT: {@code iss} the account, {@code aud} the token endpoint, one hour long. */
    private String assertion() {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode header = MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (!key.privateKeyId().isEmpty()) {
            header.put("kid", key.privateKeyId());
        }
        ObjectNode claims = MAPPER.createObjectNode()
                .put("iss", key.clientEmail())
                .put("scope", SCOPE)
                .put("aud", key.tokenUri())
                .put("iat", now)
                .put("exp", now + ASSERTION_LIFETIME.toSeconds());
        String signingInput = BASE64URL.encodeToString(header.toString().getBytes(UTF_8)) + "."
                + BASE64URL.encodeToString(claims.toString().getBytes(UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.privateKey());
            rsa.update(signingInput.getBytes(UTF_8));
            return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new ServiceException(service, "could not sign a token request with the key of " + key.clientEmail()
                    + ": " + e.getClass().getSimpleName(), true, null);
        }
    }

    /** OAuth's {@code error} and {@code error_description}, or the start of a body that is not OAuth's. */
    private static String describeError(String body) {
        try {
            JsonNode error = MAPPER.readTree(body);
            if (error != null && error.hasNonNull("error")) {
                String code = error.get("error").asText();
                String description = error.path("error_description").asText("");
                return description.isEmpty() ? code : code + ": " + description;
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw text
        }
        String text = body.strip();
        return text.isEmpty() ? "(no body)" : text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
    }

    private record Token(String accessToken, Duration expiresIn) {
        static Optional<Token> parse(String body) {
            try {
                JsonNode json = MAPPER.readTree(body);
                if (json == null || !json.path("access_token").isTextual() || !json.path("expires_in").canConvertToLong()) {
                    return Optional.empty();
                }
                return Optional.of(new Token(json.get("access_token").asText(), Duration.ofSeconds(json.get("expires_in").asLong())));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return "Token[****, " + expiresIn + "]";
        }
    }
}
