package ai.piopiy.plugin.llmhttp.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/** Response bodies for a MockWebServer that plays an SSE provider: recorded events, slow streams, drops. */
public final class SseBodies {

    private SseBodies() {}

    /** A 200 {@code text/event-stream} response with {@code body} sent as it is. */
    public static MockResponse sse(String body) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(body)
                .build();
    }

    /** A JSON error response. */
    public static MockResponse error(int code, String json) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(json).build();
    }

    /**
     * A stream that sends {@code first}, then a comment line every 20 ms until the client closes
     * the connection, which it notices as a failed write: {@link #awaitClientClosed} then returns true.
     */
    public static final class EndlessStream implements MockResponseBody {
        private final String first;
        private final CountDownLatch clientClosed = new CountDownLatch(1);

        public EndlessStream(String first) {
            this.first = first;
        }

        public MockResponse response() {
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(this).build();
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.writeUtf8(first).flush();
                for (int i = 0; i < 500; i++) {
                    Thread.sleep(20);
                    sink.writeUtf8(": keep-alive\n\n").flush();
                }
            } catch (IOException e) {
                clientClosed.countDown();
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public boolean awaitClientClosed() throws InterruptedException {
            return clientClosed.await(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A 200 response whose connection the server closes halfway through {@code stream} (MockWebServer's
     * disconnect during the response body), so the client sees the body end before its declared length.
     */
    public static MockResponse droppedHalfway(String stream) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream")
                .body(stream)
                .onResponseBody(new SocketEffect.CloseSocket())
                .build();
    }

    /** {@code data: <json>} events, each followed by a blank line, as OpenAI-style servers send them. */
    public static String dataEvents(List<String> payloads) {
        StringBuilder out = new StringBuilder();
        for (String p : payloads) {
            out.append("data: ").append(p).append("\n\n");
        }
        return out.toString();
    }
}
