package ai.piopiy.distribution.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A provider's HTTP API on 127.0.0.1 under {@code /v1}, answering each request as the provider would. */
public abstract class FakeHttpServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    protected FakeHttpServer() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
                return answer(request);
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code base_url} setting of the provider. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/v1";
    }

    protected abstract MockResponse answer(RecordedRequest request);

    /** An error in OpenAI's shape. */
    protected static MockResponse error(int code, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(JSON.createObjectNode().set("error", JSON.createObjectNode().put("message", message)).toString()).build();
    }

    /** The {@code Authorization} header of each request ("null" when there was none). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.close();
    }
}
