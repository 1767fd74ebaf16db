package ai.piopiy.plugin.ttswebsocket.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/** Audio bodies for the tests of TTS plugins that get their audio over HTTP, one response per request. */
public final class PcmBodies {

    private PcmBodies() {}

    /** A 200 whose body is written in {@code pieces}, each flushed 5 ms apart, so the client reads it as it arrives. */
    public static MockResponse chunked(String contentType, List<byte[]> pieces) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", contentType).body(new Chunked(List.copyOf(pieces))).build();
    }

    private record Chunked(List<byte[]> pieces) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return pieces.stream().mapToLong(p -> p.length).sum();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (byte[] piece : pieces) {
                sink.write(piece).flush();
                pause(5);
            }
        }
    }

    /** A body of 20 ms of audio every 20 ms (for up to 10 s) that notices when the client closes the connection. */
    public static final class Endless implements MockResponseBody {

        private final CountDownLatch clientClosed = new CountDownLatch(1);
        private final String contentType;

        public Endless(String contentType) {
            this.contentType = requireNonNull(contentType, "contentType is null");
        }

        public MockResponse response() {
            return new MockResponse.Builder().code(200).setHeader("Content-Type", contentType).body(this).build();
        }

        /** Released when a write failed because the client had closed the connection. */
        public CountDownLatch clientClosed() {
            return clientClosed;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                for (int i = 0; i < 500; i++) {
                    sink.write(TestAudio.pattern(i, 960)).flush();
                    pause(20);
                }
            } catch (IOException e) {
                clientClosed.countDown();
                throw e;
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
