package ai.piopiy.plugin.ttswebsocket;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.Secret;

/** Masks a secret in text from a server, in case a server or proxy ever echoes it into a message. */
public record SecretRedactor(Secret secret) {

    public SecretRedactor {
        requireNonNull(secret, "secret is null");
    }

    public String redact(String text) {
        String value = secret.reveal();
        return text == null || value.isEmpty() ? text : text.replace(value, "****");
    }
}
