package ai.piopiy.plugin.azure.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The framing of the Speech service's WebSocket protocol ("USP"): a text message is CRLF-separated
 * header lines, a blank line and the body; a binary message is a two-byte big-endian header length,
 * those header lines (ASCII) and the audio. Every message names its {@code Path} and the turn's
 * {@code X-RequestId}, a UUID without dashes.
 */
public final class Usp {

    /** The most audio one {@code audio} message carries (the protocol's 8 KiB chunk limit). */
    public static final int MAX_AUDIO_BYTES = 8192;
    public static final int WAV_HEADER_BYTES = 44;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String CRLF = "\r\n";

    private Usp() {}

    /** A fresh id for a connection or a turn: 32 lowercase hex digits (a dashed one gets close 1002). */
    public static String newId() {
        UUID uuid = UUID.randomUUID();
        return hex(uuid.getMostSignificantBits()) + hex(uuid.getLeastSignificantBits());
    }

    private static String hex(long bits) {
        String s = Long.toHexString(bits);
        return s.length() == 16 ? s : "0".repeat(16 - s.length()) + s;
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** A text message: {@code Path}, {@code X-RequestId}, {@code X-Timestamp}, {@code Content-Type}, then the body. */
    public static String text(String path, String requestId, Instant now, String body) {
        return "Path: " + path + CRLF
                + "X-RequestId: " + requestId + CRLF
                + "X-Timestamp: " + timestamp(now) + CRLF
                + "Content-Type: application/json" + CRLF
                + CRLF
                + body;
    }

    /**
     * The {@code audio} messages of one turn. Their header lines differ only in the timestamp, so the rest
     * is encoded once and each message costs one array: audio goes out 50 times a second per call.
     */
    public static final class AudioFramer {

        private static final DateTimeFormatter SECONDS =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
        private static final int STAMP_LENGTH = 26; // 2026-11-25T10:00:00.123Z and CRLF

        private final String requestId;
        private final byte[] prefix;
        private final byte[] stamp = new byte[STAMP_LENGTH];
        private long stampSecond = Long.MIN_VALUE;

        public AudioFramer(String requestId) {
            this.requestId = requireNonNull(requestId, "requestId is null");
            this.prefix = ("Path: audio" + CRLF + "X-RequestId: " + requestId + CRLF + "X-Timestamp: ").getBytes(StandardCharsets.US_ASCII);
            stamp[23] = 'Z';
            stamp[24] = '\r';
            stamp[25] = '\n';
        }

        public String requestId() {
            return requestId;
        }

        /** The turn's first message: the WAV header, the only one that names its content type. */
        public byte[] first(long epochMillis, byte[] wavHeader) {
            byte[] contentType = ("Content-Type: audio/x-wav" + CRLF).getBytes(StandardCharsets.US_ASCII);
            return message(epochMillis, contentType, wavHeader, 0, wavHeader.length);
        }

        /** A message carrying {@code pcm[offset, offset + length)}; length 0 ends the turn's audio. */
        public byte[] next(long epochMillis, byte[] pcm, int offset, int length) {
            return message(epochMillis, null, pcm, offset, length);
        }

        private byte[] message(long epochMillis, byte[] extra, byte[] body, int offset, int length) {
            stamp(epochMillis);
            int headerLength = prefix.length + STAMP_LENGTH + (extra == null ? 0 : extra.length);
            byte[] message = new byte[2 + headerLength + length];
            message[0] = (byte) (headerLength >>> 8);
            message[1] = (byte) headerLength;
            System.arraycopy(prefix, 0, message, 2, prefix.length);
            System.arraycopy(stamp, 0, message, 2 + prefix.length, STAMP_LENGTH);
            if (extra != null) {
                System.arraycopy(extra, 0, message, 2 + prefix.length + STAMP_LENGTH, extra.length);
            }
            System.arraycopy(body, offset, message, 2 + headerLength, length);
            return message;
        }

        private void stamp(long epochMillis) {
            long second = Math.floorDiv(epochMillis, 1000);
            if (second != stampSecond) {
                String text = SECONDS.format(Instant.ofEpochSecond(second));
                for (int i = 0; i < 20; i++) {
                    stamp[i] = (byte) text.charAt(i);
                }
                stampSecond = second;
            }
            int millis = (int) Math.floorMod(epochMillis, 1000);
            stamp[20] = (byte) ('0' + millis / 100);
            stamp[21] = (byte) ('0' + millis / 10 % 10);
            stamp[22] = (byte) ('0' + millis % 10);
        }
    }

    /** Where the audio of a binary message starts: after the two length bytes and the header lines. */
    public static int audioOffset(byte[] message) {
        return 2 + ((message[0] & 0xff) << 8 | message[1] & 0xff);
    }

    /**
     * The RIFF header of a PCM16 mono stream at {@code sampleRate}. Its sizes are 0: the stream has no
     * known length, as in the SDKs' own stream header.
     */
    public static byte[] wavHeader(int sampleRate) {
        byte[] h = new byte[WAV_HEADER_BYTES];
        ascii(h, 0, "RIFF");
        ascii(h, 8, "WAVE");
        ascii(h, 12, "fmt ");
        int32(h, 16, 16); // fmt chunk size
        int16(h, 20, 1); // PCM
        int16(h, 22, 1); // mono
        int32(h, 24, sampleRate);
        int32(h, 28, sampleRate * 2); // byte rate
        int16(h, 32, 2); // block align
        int16(h, 34, 16); // bits per sample
        ascii(h, 36, "data");
        return h;
    }

    private static void ascii(byte[] out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[at + i] = (byte) s.charAt(i);
        }
    }

    private static void int16(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
    }

    private static void int32(byte[] out, int at, int v) {
        int16(out, at, v);
        int16(out, at + 2, v >>> 16);
    }

    /** A server message: its {@code Path}, its {@code X-RequestId} (empty when absent) and its body (JSON or empty). */
    public record Message(String path, String requestId, String body) {
        public Message {
            requireNonNull(path, "path is null");
            requireNonNull(requestId, "requestId is null");
            requireNonNull(body, "body is null");
        }
    }

    /**
     * Parses a text message from the service. Header names are case-insensitive; a bare LF between lines is
     * taken too.
     *
     * @throws IllegalArgumentException when the message has no header block or no {@code Path}
     */
    public static Message parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        int bodyStart = end + 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            bodyStart = end + 2;
        }
        if (end < 0) {
            // turn.end may come without a body, and so without the blank line
            end = text.length();
            bodyStart = text.length();
        }
        String path = null;
        String requestId = "";
        int line = 0;
        while (line < end) {
            int next = text.indexOf('\n', line);
            if (next < 0 || next > end) {
                next = end;
            }
            int lineEnd = next > line && text.charAt(next - 1) == '\r' ? next - 1 : next;
            int colon = text.indexOf(':', line);
            if (colon < 0 || colon > lineEnd) {
                throw new IllegalArgumentException("a header line without a colon: \"" + excerpt(text.substring(line, lineEnd)) + "\"");
            }
            String name = text.substring(line, colon).strip();
            String value = text.substring(colon + 1, lineEnd).strip();
            if (name.equalsIgnoreCase("Path")) {
                path = value;
            } else if (name.equalsIgnoreCase("X-RequestId")) {
                requestId = value;
            }
            line = next + 1;
        }
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("no Path header in \"" + excerpt(text) + "\"");
        }
        return new Message(path, requestId, text.substring(Math.min(bodyStart, text.length())));
    }

    public static String excerpt(String text) {
        String flat = text.replace("\r\n", "\\r\\n");
        return flat.length() <= 120 ? flat : flat.substring(0, 120) + "...";
    }
}
