package ai.piopiy.plugin.livekit.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * LiveKit access tokens as the server checks them: HS256 JWTs signed with the API secret, {@code iss} the API
 * key, {@code sub} the identity, {@code nbf}/{@code exp} with a minute's leeway and a {@code video} grant with
 * {@code roomJoin} and {@code room}. Signing and verifying are written on the JDK's {@link Mac}.
 */
public final class LiveKitJwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LEEWAY_SECONDS = 60;

    /** A verified token's participant. */
    public record Grant(String identity, String name, String room, boolean canPublish, boolean canSubscribe) {}

    /** Why a token was refused: the text goes into the 401 body, as the real server's does. */
    public static final class RejectedException extends Exception {
        RejectedException(String message) {
            super(message);
        }
    }

    private LiveKitJwt() {}

    /** A token for {@code identity} to join {@code room}, valid from now for {@code ttl}. */
    public static String create(String apiKey, String secret, String identity, String room, Duration ttl) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", apiKey).put("sub", identity).put("name", identity)
                .put("nbf", now).put("exp", now + ttl.toSeconds());
        claims.putObject("video").put("roomJoin", true).put("room", room).put("canPublish", true).put("canSubscribe", true);
        return sign(claims, secret);
    }

    /** Signs arbitrary claims (tests of the verifier use it to build bad tokens). */
    public static String sign(JsonNode claims, String secret) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(UTF_8));
        String payload = b64.encodeToString(claims.toString().getBytes(UTF_8));
        String signingInput = header + "." + payload;
        return signingInput + "." + b64.encodeToString(hmac(secret, signingInput));
    }

    /** Checks a token against the known keys ({@code api key -> secret}). */
    public static Grant verify(String token, Map<String, String> keys) throws RejectedException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new RejectedException("invalid authorization token: not a JWT");
        }
        JsonNode header = decode(parts[0]);
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new RejectedException("invalid authorization token: unsupported algorithm " + header.path("alg").asText());
        }
        JsonNode claims = decode(parts[1]);
        String secret = keys.get(claims.path("iss").asText());
        if (secret == null) {
            throw new RejectedException("invalid API key");
        }
        byte[] expected = hmac(secret, parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new RejectedException("invalid authorization token: bad signature encoding");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new RejectedException("invalid authorization token: signature is invalid");
        }
        long now = Instant.now().getEpochSecond();
        if (!claims.has("exp")) {
            throw new RejectedException("invalid authorization token: exp is required");
        }
        if (claims.path("exp").asLong() + LEEWAY_SECONDS < now) {
            throw new RejectedException("invalid authorization token: token is expired");
        }
        if (claims.has("nbf") && claims.path("nbf").asLong() - LEEWAY_SECONDS > now) {
            throw new RejectedException("invalid authorization token: token is not valid yet");
        }
        JsonNode video = claims.path("video");
        if (!video.isObject()) {
            throw new RejectedException("no permissions to access the room");
        }
        if (!video.path("roomJoin").asBoolean(false)) {
            throw new RejectedException("permissions denied");
        }
        String room = video.path("room").asText("");
        if (room.isEmpty()) {
            throw new RejectedException("no room name");
        }
        String identity = claims.path("sub").asText(claims.path("jti").asText(""));
        if (identity.isEmpty()) {
            throw new RejectedException("identity cannot be empty");
        }
        // a grant left out counts as given, as on the real server
        return new Grant(identity, claims.path("name").asText(identity), room,
                video.path("canPublish").asBoolean(true), video.path("canSubscribe").asBoolean(true));
    }

    private static JsonNode decode(String part) throws RejectedException {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new RejectedException("invalid authorization token: malformed " + e.getClass().getSimpleName());
        }
    }

    private static byte[] hmac(String secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
