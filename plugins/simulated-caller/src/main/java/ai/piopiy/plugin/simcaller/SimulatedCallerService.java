package ai.piopiy.plugin.simcaller;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.simcaller.internal.SimulatedCallerTransport;
import ai.piopiy.plugin.simcaller.internal.Wav;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Plays a scripted caller into each call: every line is synthesised once with flite and replayed in
 * real time, with the waits the script asks for (after the bot falls quiet, or over the bot for a
 * barge-in), then the caller hangs up.
 */
public final class SimulatedCallerService implements TransportService {

    private final SimulatedCallerConfig config;
    private final Logger log;
    private final Map<String, byte[]> speech = new ConcurrentHashMap<>();

    public SimulatedCallerService(SimulatedCallerConfig config, Logger log) {
        this.config = requireNonNull(config, "config is null");
        this.log = requireNonNull(log, "log is null");
    }

    public SimulatedCallerConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "simulated-caller";
    }

    @Override
    public CallTransport open(CallInfo call) {
        List<byte[]> audio = new ArrayList<>();
        for (CallerLine line : config.lines()) {
            audio.add(speech.computeIfAbsent(line.say(), this::synthesise));
        }
        log.info("[{}] simulated caller with {} lines", call.callId(), config.lines().size());
        return new SimulatedCallerTransport(config, audio);
    }

    /** One line as PCM16 at the input rate. */
    byte[] synthesise(String text) {
        Path wav = null;
        try {
            wav = Files.createTempFile("piopiy-caller-", ".wav");
            Process p = new ProcessBuilder(config.flite(), "-voice", config.voice(), "-t", text, "-o", wav.toString())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ServiceException(name(), "flite took more than 30 s to say \"" + text + "\"");
            }
            if (p.exitValue() != 0) {
                throw new ServiceException(name(), "flite failed (exit " + p.exitValue() + "): "
                        + new String(p.getInputStream().readAllBytes()).strip());
            }
            Wav w = Wav.parse(Files.readAllBytes(wav));
            return new Resampler(w.sampleRate(), config.inputRate()).process(w.pcm());
        } catch (IOException e) {
            throw new ServiceException(name(), "cannot run flite (" + config.flite() + "): " + e.getMessage()
                    + "; install Debian's flite package (apt-get install flite)", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(name(), "interrupted while synthesising the caller's lines");
        } finally {
            if (wav != null) {
                try {
                    Files.deleteIfExists(wav);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
