package ai.piopiy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Captures what slf4j-simple writes (it looks System.err up on every line) while still passing it on.
 * Tests run one at a time in the JVM, so swapping System.err is safe.
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public LogCapture() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
                original.write(bytes, offset, length);
            }
        }, true, UTF_8));
    }

    public String text() {
        synchronized (captured) {
            return captured.toString(UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
