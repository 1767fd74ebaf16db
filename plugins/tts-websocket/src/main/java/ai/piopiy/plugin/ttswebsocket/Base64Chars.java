package ai.piopiy.plugin.ttswebsocket;

import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes standard base64 (RFC 4648, padded or not) from a range of characters straight into an
 * exactly sized array: audio in a JSON text frame is decoded from the parser's buffer without an
 * intermediate string or growing byte buffer.
 */
public final class Base64Chars {

    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
    }

    private Base64Chars() {}

    /**
     * @throws IOException when the range is not base64 (the message says at which character)
     */
    public static byte[] decode(char[] chars, int offset, int length) throws IOException {
        int end = offset + length;
        if (length >= 1 && chars[end - 1] == '=') {
            end--;
            if (length >= 2 && chars[end - 1] == '=') {
                end--;
            }
        }
        int data = end - offset;
        if (data % 4 == 1 || (end < offset + length && (length & 3) != 0)) {
            throw new IOException("invalid base64 length " + length);
        }
        byte[] out = new byte[data / 4 * 3 + Math.max(0, data % 4 - 1)];
        int o = 0;
        int i = offset;
        for (int quadsEnd = offset + (data & ~3); i < quadsEnd; i += 4) {
            int bits = value(chars, i) << 18 | value(chars, i + 1) << 12 | value(chars, i + 2) << 6 | value(chars, i + 3);
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        if (end - i >= 2) {
            int bits = value(chars, i) << 18 | value(chars, i + 1) << 12 | (end - i == 3 ? value(chars, i + 2) << 6 : 0);
            out[o++] = (byte) (bits >> 16);
            if (end - i == 3) {
                out[o] = (byte) (bits >> 8);
            }
        }
        return out;
    }

    private static int value(char[] chars, int index) throws IOException {
        char c = chars[index];
        int v = c < 128 ? VALUES[c] : -1;
        if (v < 0) {
            throw new IOException("invalid base64 character '" + c + "'");
        }
        return v;
    }
}
