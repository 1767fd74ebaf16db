package ai.piopiy.plugin.pocketsphinx.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One PocketSphinx decoder with its models loaded: {@code ps_init} once, then one utterance per
 * {@link #decode} call. Not thread-safe; {@link DecoderPool} lends it to one segment at a time.
 */
final class NativeDecoder implements AutoCloseable {

    private final PocketsphinxLibrary library;
    private final MemorySegment config;
    private final MemorySegment decoder;
    /** Native copy of the segment's samples, grown when a longer segment comes; freed by the GC. */
    private MemorySegment samples = MemorySegment.NULL;
    private boolean closed;

    private NativeDecoder(PocketsphinxLibrary library, MemorySegment config, MemorySegment decoder) {
        this.library = library;
        this.config = config;
        this.decoder = decoder;
    }

    /**
     * Parses {@code arguments} ({@code -hmm dir -lm file ...}) into a configuration and loads a decoder.
     *
     * @throws IllegalStateException when PocketSphinx refuses the arguments or cannot load the models
     */
    static NativeDecoder create(PocketsphinxLibrary library, List<String> arguments) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ADDRESS, arguments.size() + 1L);
            for (int i = 0; i < arguments.size(); i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(arguments.get(i)));
            }
            MemorySegment definitions = (MemorySegment) library.psArgs().invokeExact();
            MemorySegment config = (MemorySegment) library.cmdLnParse().invokeExact(
                    MemorySegment.NULL, definitions, arguments.size(), argv, 1);
            if (config.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("PocketSphinx refused its flags (" + String.join(" ", arguments)
                        + "): an unknown flag or a malformed value in options?");
            }
            MemorySegment decoder = (MemorySegment) library.psInit().invokeExact(config);
            if (decoder.equals(MemorySegment.NULL)) {
                int ignored = (int) library.cmdLnFree().invokeExact(config);
                throw new IllegalStateException("PocketSphinx could not load its models (" + String.join(" ", arguments) + ")"
                        + "; check that the acoustic model, language model and dictionary belong together");
            }
            return new NativeDecoder(library, config, decoder);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("PocketSphinx failed while loading its models", e);
        }
    }

    /**
     * Recognises one utterance of PCM16 LE mono at the model's rate (16 kHz).
     *
     * @return the best hypothesis, empty when nothing was recognised
     */
    // reinterpret: the hypothesis is a NUL-terminated C string of unknown length
    @SuppressWarnings("restricted")
    String decode(byte[] pcm, int length) {
        if (closed) {
            throw new IllegalStateException("the decoder is closed");
        }
        long count = length / 2;
        if (samples.byteSize() < count * 2) {
            samples = Arena.ofAuto().allocate(Math.max(count * 2, 16_000 * 2 * 5), 2);
        }
        MemorySegment.copy(MemorySegment.ofArray(pcm), 0, samples, 0, count * 2);
        try {
            check("ps_start_utt", (int) library.psStartUtt().invokeExact(decoder));
            check("ps_process_raw", (int) library.psProcessRaw().invokeExact(decoder, samples, count, 0, 1));
            check("ps_end_utt", (int) library.psEndUtt().invokeExact(decoder));
            MemorySegment hypothesis = (MemorySegment) library.psGetHyp().invokeExact(decoder, MemorySegment.NULL);
            // the string belongs to the decoder and is valid until the next utterance: copy it now
            return hypothesis.equals(MemorySegment.NULL) ? "" : hypothesis.reinterpret(Integer.MAX_VALUE).getString(0).trim();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("PocketSphinx failed while decoding", e);
        }
    }

    private static void check(String function, int result) {
        if (result < 0) {
            throw new IllegalStateException(function + " failed with " + result);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) library.psFree().invokeExact(decoder);
            ignored = (int) library.cmdLnFree().invokeExact(config);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("PocketSphinx failed while freeing a decoder", e);
        }
    }
}
