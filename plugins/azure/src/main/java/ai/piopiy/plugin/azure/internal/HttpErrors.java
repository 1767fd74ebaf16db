package ai.piopiy.plugin.azure.internal;

import ai.piopiy.plugin.azure.AzureTtsConfig;
import ai.piopiy.plugin.ttswebsocket.ServiceResources;
import ai.piopiy.spi.ServiceException;
import java.io.IOException;
import okhttp3.Response;

/** The error of a refused synthesis request, in words an operator can act on and without the key. */
final class HttpErrors {

    private HttpErrors() {}

    /** Fatal for 401 and 403: a wrong key or region does not fix itself. */
    static ServiceException of(ServiceResources resources, AzureTtsConfig config, Response response) {
        int status = response.code();
        String body = body(response, resources);
        String hint = switch (status) {
            case 400 -> "; check the voice and language settings";
            case 401, 403 -> "; check the key from " + config.account().apiKey().source() + " and that it belongs to the region's resource";
            case 415 -> "; the request's content type was refused";
            case 429 -> "; the resource's quota or rate limit was reached";
            default -> "";
        };
        return new ServiceException(resources.service(), resources.provider() + " refused the synthesis (HTTP " + status
                + (body.isEmpty() ? "" : ": " + body) + ")" + hint, status == 401 || status == 403, null);
    }

    private static String body(Response response, ServiceResources resources) {
        try {
            return Usp.excerpt(resources.redact(response.peekBody(512).string().strip()));
        } catch (IOException | IllegalStateException e) {
            return "";
        }
    }
}
