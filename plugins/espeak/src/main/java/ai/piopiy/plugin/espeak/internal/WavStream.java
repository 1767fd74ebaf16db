package ai.piopiy.plugin.espeak.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the RIFF/WAVE header of a stream and stops at the start of its PCM data. {@code espeak-ng --stdout}
 * writes to a pipe without knowing the length, so its sizes are placeholders ({@code 0x7ffff000}); the data
 * is therefore read to the end of the stream, never trusted to its declared size.
 */
public final class WavStream {

    private WavStream() {}

    /** The format a WAV header declared. */
    public record Format(int sampleRate, int channels, int bitsPerSample) {}

    /**
     * Consumes the header up to the first byte of the {@code data} chunk.
     *
     * @throws IOException when the stream is not a PCM16 mono WAV or ends inside the header
     */
    public static Format readHeader(InputStream in) throws IOException {
        ByteBuffer riff = read(in, 12);
        if (riff.getInt(0) != 0x46464952 || riff.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
            throw new IOException("not a WAV stream (no RIFF/WAVE header)");
        }
        Format format = null;
        while (true) {
            ByteBuffer chunk = read(in, 8);
            int id = chunk.getInt(0);
            long size = Integer.toUnsignedLong(chunk.getInt(4));
            if (id == 0x20746d66) { // "fmt "
                if (size < 16 || size > 1024) {
                    throw new IOException("WAV fmt chunk of " + size + " bytes");
                }
                ByteBuffer fmt = read(in, (int) (size + (size & 1)));
                int encoding = fmt.getShort(0) & 0xffff;
                format = new Format(fmt.getInt(4), fmt.getShort(2) & 0xffff, fmt.getShort(14) & 0xffff);
                if (encoding != 1 || format.channels() != 1 || format.bitsPerSample() != 16) {
                    throw new IOException("expected PCM16 mono WAV, got encoding " + encoding + ", " + format);
                }
            } else if (id == 0x61746164) { // "data"
                if (format == null) {
                    throw new IOException("WAV data chunk before its fmt chunk");
                }
                return format;
            } else {
                in.skipNBytes(size + (size & 1));
            }
        }
    }

    private static ByteBuffer read(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the WAV stream ended inside its header");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
