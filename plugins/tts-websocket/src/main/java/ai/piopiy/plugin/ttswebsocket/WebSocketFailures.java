package ai.piopiy.plugin.ttswebsocket;

import ai.piopiy.spi.ServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import okhttp3.Response;

/** The errors of a WebSocket that failed, in words an operator can act on and without secrets. */
public final class WebSocketFailures {

    private WebSocketFailures() {}

    /**
     * The error for {@code WebSocketListener.onFailure}: a refused upgrade names its HTTP status and
     * (the start of) its body, and is fatal when the key was rejected (401, 403); anything else is a
     * lost connection, not fatal.
     */
    public static ServiceException of(ServiceResources resources, Throwable failure, Response response) {
        String service = resources.service();
        String provider = resources.provider();
        SecretRedactor redactor = resources.redactor();
        if (response == null) {
            // an I/O failure says all in its message; anything else keeps its stack for a bug report
            return new ServiceException(service, "lost the connection to " + provider + " ("
                    + redactor.redact(String.valueOf(failure.getMessage())) + ")", failure instanceof IOException ? null : failure);
        }
        int code = response.code();
        String body = peekBody(response, redactor);
        boolean rejected = code == 401 || code == 403;
        String what = rejected ? provider + " rejected the API key" : provider + " refused the WebSocket";
        return new ServiceException(service, what + " (HTTP " + code + (body.isEmpty() ? "" : ": " + body) + ")", rejected, null);
    }

    /** A message that is not the JSON the protocol promises; the parser says where. */
    public static ServiceException malformed(ServiceResources resources, IOException problem) {
        String detail = problem instanceof JsonProcessingException json ? json.getOriginalMessage() : problem.getMessage();
        return new ServiceException(resources.service(),
                resources.provider() + " sent a malformed message (" + resources.redact(detail) + ")");
    }

    private static String peekBody(Response response, SecretRedactor redactor) {
        try {
            return redactor.redact(response.peekBody(512).string().strip());
        } catch (IOException | IllegalStateException e) {
            return "";
        }
    }
}
