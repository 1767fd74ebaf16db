package ai.piopiy.plugin.espeak;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.espeak.internal.EspeakUtterance;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Offline text-to-speech with eSpeak NG: each sentence is one {@code espeak-ng --stdout} process whose
 * 22050 Hz WAV is resampled to the call's rate and streamed as it is read. Robotic, but instant, free and
 * available on any Debian machine.
 */
public final class EspeakTtsService implements TtsService {

    /** What a user installs on Debian or Ubuntu. */
    public static final String DEBIAN_PACKAGE = "espeak-ng";

    private final EspeakTtsConfig config;
    private final ProviderContext context;
    private final Set<EspeakUtterance> speaking = ConcurrentHashMap.newKeySet();

    /**
     * Checks that the binary runs ({@code --version}) so a missing espeak-ng fails at start-up.
     *
     * @throws ServiceException (fatal) naming the Debian package when the binary cannot be run
     */
    public EspeakTtsService(EspeakTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        String version = version(config.binary());
        context.logger().info("eSpeak NG: {} (voice {}, {} wpm, pitch {})", version, config.voice(), config.speed(),
                config.pitch());
    }

    private String version(String binary) {
        try {
            Process process = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readNBytes(1_000), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ServiceException(name(), binary + " --version did not answer within 10 s", true, null);
            }
            if (process.exitValue() != 0) {
                throw new ServiceException(name(), binary + " --version failed with exit status " + process.exitValue()
                        + ": " + out, true, null);
            }
            return out.lines().findFirst().orElse(binary);
        } catch (IOException e) {
            throw new ServiceException(name(), "cannot run " + binary + " (" + e.getMessage() + "); install the Debian"
                    + " package " + DEBIAN_PACKAGE + " (apt-get install " + DEBIAN_PACKAGE + ") or set 'binary' to its path",
                    true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(name(), "interrupted while checking " + binary, true, e);
        }
    }

    public EspeakTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "espeak";
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        requireNonNull(outputFormat, "outputFormat is null");
        requireNonNull(callId, "callId is null");
        return new Session(outputFormat, callId);
    }

    /** Stops every utterance still speaking. */
    @Override
    public void close() {
        speaking.forEach(EspeakUtterance::cancel);
    }

    private final class Session implements TtsSession {
        private final AudioFormat format;
        private final String callId;
        private final Set<EspeakUtterance> mine = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Session(AudioFormat format, String callId) {
            this.format = format;
            this.callId = callId;
        }

        @Override
        public TtsUtterance startUtterance(TtsListener listener) {
            if (closed) {
                throw new IllegalStateException("the eSpeak session of call " + callId + " is closed");
            }
            EspeakUtterance utterance = new EspeakUtterance(name(), config, context, format, callId, listener, ended -> {
                mine.remove(ended);
                speaking.remove(ended);
            });
            mine.add(utterance);
            speaking.add(utterance);
            return utterance;
        }

        @Override
        public void close() {
            closed = true;
            mine.forEach(EspeakUtterance::cancel);
        }
    }
}
