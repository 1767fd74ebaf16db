package ai.piopiy.plugin.pocketsphinx.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.pocketsphinx.PocketsphinxSttConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The service's resident decoders, loaded once. A segment borrows one for its decode; when all are
 * busy, segments (from any call) wait in line for the next free one.
 */
public final class DecoderPool implements AutoCloseable {

    private final List<NativeDecoder> all;
    private final BlockingQueue<NativeDecoder> idle;
    private volatile boolean closed;

    private DecoderPool(List<NativeDecoder> decoders) {
        this.all = List.copyOf(decoders);
        this.idle = new ArrayBlockingQueue<>(decoders.size(), false, decoders);
    }

    /**
     * Loads the library and {@code config.decoders()} decoders.
     *
     * @throws IllegalArgumentException when the library cannot be loaded
     * @throws IllegalStateException when PocketSphinx cannot load the models
     */
    public static DecoderPool open(PocketsphinxSttConfig config) {
        requireNonNull(config, "config is null");
        PocketsphinxLibrary library = PocketsphinxLibrary.load(config.library());
        List<String> arguments = new ArrayList<>(List.of(
                "-hmm", config.hmm().toString(),
                "-lm", config.lm().toString(),
                "-dict", config.dict().toString(),
                // PocketSphinx logs every utterance's search statistics; the plugin reports what matters itself
                "-logfn", "/dev/null"));
        config.effectiveOptions().forEach((flag, value) -> {
            arguments.add("-" + flag);
            arguments.add(value);
        });
        List<NativeDecoder> decoders = new ArrayList<>();
        try {
            for (int i = 0; i < config.decoders(); i++) {
                decoders.add(NativeDecoder.create(library, arguments));
            }
        } catch (RuntimeException e) {
            decoders.forEach(NativeDecoder::close);
            throw e;
        }
        return new DecoderPool(decoders);
    }

    public int size() {
        return all.size();
    }

    /** Decodes one segment of 16 kHz PCM16 on a free decoder, waiting for one if all are busy. */
    public String decode(byte[] pcm16k, int length) throws InterruptedException {
        NativeDecoder decoder;
        // polled, not taken: close() may have collected every decoder while this segment waited
        while ((decoder = idle.poll(100, TimeUnit.MILLISECONDS)) == null) {
            if (closed) {
                throw new IllegalStateException("the PocketSphinx service is closed");
            }
        }
        try {
            if (closed) {
                throw new IllegalStateException("the PocketSphinx service is closed");
            }
            return decoder.decode(pcm16k, length);
        } finally {
            idle.add(decoder);
        }
    }

    /** Frees the decoders, waiting up to {@code timeoutMillis} for those still decoding. */
    public void close(long timeoutMillis) throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<NativeDecoder> taken = new ArrayList<>();
        while (taken.size() < all.size()) {
            NativeDecoder d = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (d == null) {
                // a decoder still busy is leaked rather than freed under its user's feet
                break;
            }
            taken.add(d);
        }
        taken.forEach(NativeDecoder::close);
    }

    @Override
    public void close() {
        try {
            close(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
