package ai.piopiy.plugin.espeak.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.espeak.EspeakTtsConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One bot answer spoken by {@code espeak-ng}: each piece of text is its own process, run one after another
 * on a blocking thread; its WAV output is resampled to the session's rate and handed over in chunks as it is
 * read, so the first audio comes while espeak-ng is still speaking the rest.
 *
 * <p>Listener calls are made with a lock held that {@link #cancel()} also takes: once cancel returns, the
 * listener hears nothing more.
 */
public final class EspeakUtterance implements TtsUtterance {

    private static final Object FINISH = new Object();
    private static final Object WAKE = new Object();

    private final String name;
    private final EspeakTtsConfig config;
    private final ProviderContext context;
    private final AudioFormat format;
    private final String callId;
    private final TtsListener listener;
    private final Consumer<EspeakUtterance> onEnded;
    private final int chunkBytes;
    private final BlockingQueue<Object> pieces = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    /** Set by cancel() or by the terminal callback; nothing is delivered afterwards. */
    private boolean ended;
    private boolean finishing;
    private boolean workerStarted;
    private Process running;
    private long firstTextNanos;
    private boolean firstAudio;

    public EspeakUtterance(String name, EspeakTtsConfig config, ProviderContext context, AudioFormat format, String callId,
            TtsListener listener, Consumer<EspeakUtterance> onEnded) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.format = requireNonNull(format, "format is null");
        this.callId = requireNonNull(callId, "callId is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.onEnded = requireNonNull(onEnded, "onEnded is null");
        this.chunkBytes = format.bytesPer((int) config.chunk().toMillis());
    }

    @Override
    public void sendText(String text) {
        requireNonNull(text, "text is null");
        synchronized (lock) {
            if (ended || finishing || text.isBlank()) {
                return;
            }
            if (!workerStarted) {
                firstTextNanos = context.nanoTime();
            }
            pieces.add(text);
            startWorker();
        }
    }

    @Override
    public void finish() {
        synchronized (lock) {
            if (ended || finishing) {
                return;
            }
            finishing = true;
            pieces.add(FINISH);
            startWorker();
        }
    }

    @Override
    public void cancel() {
        Process process;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            pieces.clear();
            pieces.add(WAKE);
            process = running;
        }
        if (process != null) {
            process.destroyForcibly();
        }
        onEnded.accept(this);
    }

    private void startWorker() {
        if (!workerStarted) {
            workerStarted = true;
            context.blockingExecutor().execute(this::run);
        }
    }

    private void run() {
        try {
            while (true) {
                Object piece = pieces.take();
                if (isEnded()) {
                    return;
                }
                if (piece == FINISH) {
                    end(null);
                    return;
                }
                if (!speak((String) piece)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Speaks one piece; false when the utterance ended meanwhile (cancelled or failed). */
    private boolean speak(String text) throws InterruptedException {
        context.metrics().record(new Metric.TtsCharacters(name, text.length()));
        Process process;
        try {
            process = new ProcessBuilder(config.binary(), "-v", config.voice(), "-s", Integer.toString(config.speed()),
                    "-p", Integer.toString(config.pitch()), "-b", "1", "--stdout").start();
        } catch (IOException e) {
            end(new ServiceException(name, "cannot run " + config.binary() + " (" + e.getMessage()
                    + "); install the Debian package espeak-ng or set 'binary' to its path", true, e));
            return false;
        }
        synchronized (lock) {
            if (ended) {
                process.destroyForcibly();
                return false;
            }
            running = process;
        }
        // the text goes in through stdin (a sentence starting with '-' is no option) from its own thread,
        // so a long text cannot block on a full pipe while nobody reads the audio
        context.blockingExecutor().execute(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the process died or was destroyed: its exit status tells what happened
            }
        });
        IOException malformed = null;
        try (InputStream audio = process.getInputStream()) {
            if (!stream(audio)) {
                return false;
            }
        } catch (IOException e) {
            if (isEnded()) {
                return false;
            }
            // the exit status usually says more (an unknown voice ends with no output at all)
            malformed = e;
        }
        int status = process.waitFor();
        synchronized (lock) {
            running = null;
        }
        if (status != 0) {
            String error = stderr(process);
            end(new ServiceException(name, config.binary() + " failed with exit status " + status
                    + (error.isEmpty() ? "" : ": " + error), false, null));
            return false;
        }
        if (malformed != null) {
            end(new ServiceException(name, "bad audio from " + config.binary() + ": " + malformed.getMessage(), false,
                    malformed));
            return false;
        }
        return true;
    }

    /** Reads one process's WAV and hands its audio over; false when the utterance ended meanwhile. */
    private boolean stream(InputStream audio) throws IOException {
        WavStream.Format wav = WavStream.readHeader(audio);
        Resampler resampler = new Resampler(wav.sampleRate(), format.sampleRate());
        byte[] read = new byte[4096];
        byte[] pending = new byte[chunkBytes * 4];
        int pendingLength = 0;
        int carry = -1;
        int n;
        while ((n = audio.read(read, carry < 0 ? 0 : 1, read.length - 1)) > 0) {
            int length = n + (carry < 0 ? 0 : 1);
            if (carry >= 0) {
                read[0] = (byte) carry;
            }
            // a pipe may split a sample across reads: keep the odd byte for the next read
            carry = (length & 1) == 1 ? read[length - 1] & 0xff : -1;
            byte[] out = resampler.process(read, 0, length & ~1);
            if (pendingLength + out.length > pending.length) {
                pending = Arrays.copyOf(pending, pendingLength + out.length + chunkBytes);
            }
            System.arraycopy(out, 0, pending, pendingLength, out.length);
            pendingLength += out.length;
            int sent = 0;
            while (pendingLength - sent >= chunkBytes) {
                if (!deliver(Arrays.copyOfRange(pending, sent, sent + chunkBytes))) {
                    return false;
                }
                sent += chunkBytes;
            }
            System.arraycopy(pending, sent, pending, 0, pendingLength - sent);
            pendingLength -= sent;
        }
        return pendingLength == 0 ? !isEnded() : deliver(Arrays.copyOf(pending, pendingLength));
    }

    private boolean deliver(byte[] pcm) {
        synchronized (lock) {
            if (ended) {
                return false;
            }
            if (!firstAudio) {
                firstAudio = true;
                context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - firstTextNanos));
            }
            listener.onAudio(pcm);
            return true;
        }
    }

    /** The one terminal callback: onDone when {@code error} is null, else onError. */
    private void end(ServiceException error) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            if (error == null) {
                listener.onDone();
            } else {
                context.logger().warn("call {}: {}", callId, error.getMessage());
                listener.onError(error);
            }
        }
        onEnded.accept(this);
    }

    private boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    private static String stderr(Process process) {
        try (InputStream err = process.getErrorStream()) {
            List<String> lines = new String(err.readNBytes(2_000), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
            return String.join(" ", lines);
        } catch (IOException e) {
            return "";
        }
    }
}
