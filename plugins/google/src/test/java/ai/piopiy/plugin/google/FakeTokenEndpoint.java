package ai.piopiy.plugin.google;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Google's OAuth token endpoint for a test service account: it checks the JWT-bearer grant (form
 * fields, RS256 signature against the account's public key, issuer, audience, scope) and answers with
 * {@link #TOKEN}, or with the error set by {@link #failWith}.
 */
final class FakeTokenEndpoint implements AutoCloseable {

    static final String TOKEN = "ya29.test-access-token-5b1e9c";
    static final String CLIENT_EMAIL = "agent@piopiy-test.iam.gserviceaccount.com";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KeyPair KEYS = generate();

    private final MockWebServer server = new MockWebServer();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicReference<MockResponse> failure = new AtomicReference<>();
    private final AtomicReference<String> problem = new AtomicReference<>();

    FakeTokenEndpoint() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                exchanges.incrementAndGet();
                MockResponse refusal = failure.get();
                if (refusal != null) {
                    return refusal;
                }
                String check = check(request);
                if (check != null) {
                    problem.set(check);
                    return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + check + "\"}");
                }
                return json(200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
            }
        });
        server.start();
    }

    /** The token endpoint's URL, as a key file's {@code token_uri}. */
    String tokenUri() {
        return server.url("/token").toString();
    }

    /** A service-account key file's JSON whose {@code token_uri} is this endpoint. */
    String keyJson() {
        ObjectNode json = MAPPER.createObjectNode()
                .put("type", "service_account")
                .put("project_id", "piopiy-test")
                .put("private_key_id", "0123456789abcdef")
                .put("private_key", privateKeyPem())
                .put("client_email", CLIENT_EMAIL)
                .put("client_id", "1234567890")
                .put("token_uri", tokenUri());
        return json.toPrettyString();
    }

    Path writeKeyFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("key.json"), keyJson());
    }

    static String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** A piece of the private key's text that must never show up in a log line or an exception message. */
    static String privateKeyFragment() {
        return Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded()).substring(100, 140);
    }

    int exchanges() {
        return exchanges.get();
    }

    /** What was wrong with a grant this endpoint refused, or null. */
    String problem() {
        return problem.get();
    }

    void failWith(int code, String body) {
        failure.set(json(code, body));
    }

    private static String check(RecordedRequest request) {
        Map<String, String> form = new HashMap<>();
        for (String pair : request.getBody().utf8().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], UTF_8), URLDecoder.decode(kv[1], UTF_8));
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            return "wrong grant_type " + form.get("grant_type");
        }
        String[] jwt = form.getOrDefault("assertion", "").split("\\.");
        if (jwt.length != 3) {
            return "the assertion is not a JWT";
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(KEYS.getPublic());
            rsa.update((jwt[0] + "." + jwt[1]).getBytes(UTF_8));
            if (!rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return "Invalid JWT Signature.";
            }
            JsonNode header = MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[0]));
            JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            if (!header.path("alg").asText().equals("RS256") || !header.path("kid").asText().equals("0123456789abcdef")) {
                return "wrong header " + header;
            }
            long now = System.currentTimeMillis() / 1000;
            if (!claims.path("iss").asText().equals(CLIENT_EMAIL)
                    || !claims.path("aud").asText().equals(request.getUrl().toString())
                    || !claims.path("scope").asText().equals("https://www.googleapis.com/auth/cloud-platform")
                    || Math.abs(claims.path("iat").asLong() - now) > 60
                    || claims.path("exp").asLong() - claims.path("iat").asLong() != 3600) {
                return "wrong claims " + claims;
            }
            return null;
        } catch (Exception e) {
            return "unreadable assertion: " + e;
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            // Google issues 2048-bit keys; 1024 bits sign the same way and generate several times faster on a busy machine
            generator.initialize(1024);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
