package ai.piopiy.spi.stt;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The state machine of a segmented recogniser (one that transcribes whole utterances rather than a
 * live stream): audio waits in a short pre-roll ring until the VAD hears speech, so the first phoneme
 * is not lost; it is then collected, up to a maximum length, until the VAD hears the end; the segment
 * is handed to {@link #transcribe} on the provider context's blocking executor and reported as one
 * final transcript. A call's segments are transcribed one after another, so its transcripts arrive in
 * order and its listener is never called twice at once.
 *
 * <p>A provider fills one hook, {@link #transcribe}; this class owns buffering, ordering, the time to
 * first byte metric and error reporting.
 */
public abstract class SegmentedSttStream implements SttStream {

    protected final String name;
    protected final ProviderContext context;
    protected final SttStreamSpec spec;
    private final SttListener listener;
    private final byte[] ring;
    private final int maxSegmentBytes;
    private final Duration maxSegment;
    private long ringWritten;
    private byte[] segment = new byte[0];
    private int segmentLength;
    private boolean collecting;
    private boolean truncated;
    private boolean closed;
    /** The last transcription of this call; the next one starts after it. */
    private volatile CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);

    /**
     * @param preRoll audio kept from before the VAD's start (the VAD starts a little after the speech)
     * @param maxSegment the longest segment transcribed; speech beyond it is dropped with a warning
     */
    protected SegmentedSttStream(String name, ProviderContext context, SttStreamSpec spec, SttListener listener,
                                 Duration preRoll, Duration maxSegment) {
        this.name = requireNonNull(name, "name is null");
        this.context = requireNonNull(context, "context is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.maxSegment = requireNonNull(maxSegment, "maxSegment is null");
        this.ring = new byte[spec.format().bytesPer((int) preRoll.toMillis())];
        this.maxSegmentBytes = spec.format().bytesPer((int) maxSegment.toMillis());
    }

    /**
     * Transcribes one segment: PCM16 at the stream's rate, pre-roll included. Runs on a blocking
     * thread, one segment of this stream at a time.
     *
     * @return the text heard, stripped; empty when nothing was (then nothing is reported)
     * @throws ServiceException reported to the listener as it is
     */
    protected abstract String transcribe(byte[] pcm) throws InterruptedException;

    /** The transcript reported for {@code text}; override to add the language, a confidence. */
    protected Transcript transcript(String text) {
        return Transcript.complete(text);
    }

    /** The message reported for an unexpected failure of {@link #transcribe} (never put a secret in it). */
    protected String failureMessage(RuntimeException e) {
        return "could not transcribe a segment of call " + spec.callId() + ": " + e.getMessage();
    }

    @Override
    public final void sendAudio(byte[] pcm, int offset, int length) {
        if (closed) {
            return;
        }
        if (collecting) {
            collect(pcm, offset, length);
            return;
        }
        if (ring.length == 0) {
            return;
        }
        // only the last ring.length bytes can matter
        int skip = Math.max(0, length - ring.length);
        ringWritten += skip;
        int kept = length - skip;
        int at = (int) (ringWritten % ring.length);
        int first = Math.min(kept, ring.length - at);
        System.arraycopy(pcm, offset + skip, ring, at, first);
        System.arraycopy(pcm, offset + skip + first, ring, 0, kept - first);
        ringWritten += kept;
    }

    @Override
    public final void userStartedSpeaking() {
        if (closed || collecting) {
            return;
        }
        collecting = true;
        truncated = false;
        segmentLength = 0;
        int kept = (int) Math.min(ringWritten, ring.length);
        int start = ring.length == 0 ? 0 : (int) ((ringWritten - kept) % ring.length);
        int first = Math.min(kept, ring.length - start);
        collect(ring, start, first);
        collect(ring, 0, kept - first);
        ringWritten = 0;
    }

    @Override
    public final void userStoppedSpeaking() {
        if (closed || !collecting) {
            return;
        }
        collecting = false;
        byte[] audio = Arrays.copyOf(segment, segmentLength);
        long stoppedAt = context.nanoTime();
        // exceptionally: a segment that failed in an unforeseen way must not stop the call's later ones
        lane = lane.exceptionally(e -> null).thenRunAsync(() -> run(audio, stoppedAt), context.blockingExecutor());
    }

    private void collect(byte[] pcm, int offset, int length) {
        int room = maxSegmentBytes - segmentLength;
        if (length > room) {
            if (!truncated) {
                truncated = true;
                context.logger().warn("call {}: speech longer than {} ms; the rest of this segment is not transcribed",
                        spec.callId(), maxSegment.toMillis());
            }
            length = room;
        }
        if (segmentLength + length > segment.length) {
            int grown = Math.max(segment.length * 2, spec.format().bytesPer(2_000));
            segment = Arrays.copyOf(segment, Math.min(maxSegmentBytes, Math.max(segmentLength + length, grown)));
        }
        System.arraycopy(pcm, offset, segment, segmentLength, length);
        segmentLength += length;
    }

    private void run(byte[] audio, long stoppedAt) {
        try {
            String text = transcribe(audio);
            if (!text.isEmpty()) {
                context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - stoppedAt));
                listener.onTranscript(transcript(text));
            }
        } catch (ServiceException e) {
            listener.onError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            listener.onError(new ServiceException(name, failureMessage(e), false, e));
        }
    }

    /** Segments already handed over are still reported; speech still being collected is dropped. */
    @Override
    public void close() {
        closed = true;
        collecting = false;
        segment = new byte[0];
    }

    /** Completes when every segment handed over so far has been transcribed and reported. */
    public final CompletableFuture<Void> idle() {
        return lane;
    }
}
