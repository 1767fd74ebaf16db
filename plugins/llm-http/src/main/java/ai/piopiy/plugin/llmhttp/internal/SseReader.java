package ai.piopiy.plugin.llmhttp.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads server-sent events (the WHATWG event-stream format) from a response body: lines end with
 * LF, CRLF or CR; a blank line dispatches the event; {@code :} starts a comment; unknown fields are
 * ignored as the format requires. Lines and events are bounded so a misbehaving server cannot
 * exhaust memory.
 */
public final class SseReader {

    /** Receives dispatched events; returns true to stop reading. */
    @FunctionalInterface
    public interface Handler {
        boolean onEvent(String event, String data) throws IOException;
    }

    private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");
    private static final long MAX_EVENT_BYTES = 4L << 20;

    private final BufferedSource source;
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean dataSeen;
    private boolean skipLf;

    public SseReader(BufferedSource source) {
        this.source = requireNonNull(source, "source is null");
    }

    /**
     * Reads events until the handler returns true (then returns true) or the body ends (false).
     * An event not terminated by a blank line before the body ends is dropped, as the format says.
     */
    public boolean read(Handler handler) throws IOException {
        String line;
        while ((line = readLine()) != null) {
            if (line.isEmpty()) {
                if (dataSeen) {
                    String eventName = event == null ? "message" : event;
                    String payload = data.toString();
                    reset();
                    if (handler.onEvent(eventName, payload)) {
                        return true;
                    }
                } else {
                    reset();
                }
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(value(line, colon));
            switch (field) {
                case "data" -> {
                    if (dataSeen) {
                        data.append('\n');
                    }
                    data.append(value);
                    dataSeen = true;
                    if (data.length() > MAX_EVENT_BYTES) {
                        throw new SseFormatException("an event is larger than " + MAX_EVENT_BYTES + " characters");
                    }
                }
                case "event" -> event = value;
                default -> {
                    // id, retry and unknown fields carry nothing a chat completion needs
                }
            }
        }
        return false;
    }

    private static int value(String line, int colon) {
        return colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
    }

    private void reset() {
        data.setLength(0);
        event = null;
        dataSeen = false;
    }

    /** The next line without its terminator, or null at the end of the body. Never waits for bytes past a line end. */
    private String readLine() throws IOException {
        Buffer buffer = source.getBuffer();
        if (skipLf) {
            // a CR ended the previous line; a CRLF's LF may only arrive now
            if (!source.request(1)) {
                return null;
            }
            if (buffer.getByte(0) == '\n') {
                buffer.skip(1);
            }
            skipLf = false;
        }
        long scanned = 0;
        while (true) {
            long end = buffer.indexOfElement(LINE_ENDS, scanned);
            if (end >= 0) {
                String line = buffer.readUtf8(end);
                skipLf = buffer.readByte() == '\r';
                return line;
            }
            scanned = buffer.size();
            if (scanned > MAX_EVENT_BYTES) {
                throw new SseFormatException("a line is longer than " + MAX_EVENT_BYTES + " bytes");
            }
            if (!source.request(scanned + 1)) {
                return null;
            }
        }
    }

    /** The bytes are not an event stream the reader can accept. */
    public static final class SseFormatException extends IOException {
        public SseFormatException(String message) {
            super(message);
        }
    }
}
