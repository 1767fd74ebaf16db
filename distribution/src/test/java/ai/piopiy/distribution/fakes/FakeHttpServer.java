package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/** A provider's HTTP API on 127.0.0.1, answering each request as the provider would. */
public abstract class FakeHttpServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final List<Headers> headers = new CopyOnWriteArrayList<>();
    private final MockWebServer server = LocalServer.start(request -> {
        headers.add(request.getHeaders());
        return answer(request);
    });

    /** {@code http://127.0.0.1:<port>}. */
    protected String rootUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    protected abstract MockResponse answer(RecordedRequest request);

    /** An error in OpenAI's shape. */
    protected static MockResponse openAiError(int code, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", message)).toString()).build();
    }

    /** The header {@code name} of each request ("null" where it was missing). */
    public List<String> headers(String name) {
        return headers.stream().map(h -> String.valueOf(h.get(name))).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
