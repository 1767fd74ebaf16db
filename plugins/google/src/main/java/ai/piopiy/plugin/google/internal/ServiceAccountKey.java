package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A service-account key file ({@code "type": "service_account"}) as Google's console hands it out:
 * the account's e-mail, its RSA private key in PKCS#8 PEM, and the token endpoint to trade a signed
 * JWT for an access token at.
 *
 * <p>Parse errors describe where the file is wrong but never quote it, because the file is a secret.
 */
public final class ServiceAccountKey {

    public static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String clientEmail;
    private final String privateKeyId;
    private final PrivateKey privateKey;
    private final String tokenUri;
    private final String projectId;

    private ServiceAccountKey(String clientEmail, String privateKeyId, PrivateKey privateKey, String tokenUri, String projectId) {
        this.clientEmail = requireNonNull(clientEmail, "clientEmail is null");
        this.privateKeyId = requireNonNull(privateKeyId, "privateKeyId is null");
        this.privateKey = requireNonNull(privateKey, "privateKey is null");
        this.tokenUri = requireNonNull(tokenUri, "tokenUri is null");
        this.projectId = requireNonNull(projectId, "projectId is null");
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the file, without quoting any of it
     */
    public static ServiceAccountKey parse(String json) {
        requireNonNull(json, "json is null");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending token, which may be part of the key
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("is not a JSON object");
        }
        String type = root.path("type").asText("");
        if (!type.equals("service_account")) {
            throw new IllegalArgumentException(type.isEmpty()
                    ? "has no \"type\"; expected a service-account key file (\"type\": \"service_account\")"
                    : "is of type \"" + type + "\"; only service-account key files (\"type\": \"service_account\") are supported");
        }
        String clientEmail = required(root, "client_email");
        String pem = required(root, "private_key");
        String tokenUri = root.path("token_uri").asText(DEFAULT_TOKEN_URI);
        return new ServiceAccountKey(clientEmail, root.path("private_key_id").asText(""), rsaKey(pem), tokenUri,
                root.path("project_id").asText(""));
    }

    public String clientEmail() {
        return clientEmail;
    }

    /** Names the key in the JWT header ({@code kid}); empty when the file has none. */
    public String privateKeyId() {
        return privateKeyId;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    public String tokenUri() {
        return tokenUri;
    }

    public String projectId() {
        return projectId;
    }

    private static String required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException("has no \"" + field + "\"");
        }
        return node.asText();
    }

    private static PrivateKey rsaKey(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // neither message nor cause: both could carry bytes of the key
            throw new IllegalArgumentException("has a \"private_key\" that is not an RSA key in PKCS#8 PEM");
        }
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[" + clientEmail + "]";
    }
}
