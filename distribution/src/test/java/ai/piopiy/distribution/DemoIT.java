package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, as the README's command runs it: the offline demo call (examples/demo/manifest.json)
 * through the unpacked distribution with the demo's plugins in its plugins/ folder — a flite caller,
 * Silero VAD, PocketSphinx, the scripted LLM with a tool, espeak-ng, one barge-in — and its report.
 */
class DemoIT {

    static final String[] PLUGINS = {"silero-vad", "pocketsphinx", "espeak", "scripted-llm", "simulated-caller"};

    /** A transcript line of report.txt: seconds from the call's start, who, what. */
    record Line(double seconds, String speaker, String text) {}

    @Test
    void theDemoCallRunsEndToEndAndItsReportMatchesTheRecording(@TempDir Path work) throws Exception {
        Path root = Path.of(System.getProperty("piopiy.root"));
        Path unpacked = Files.createDirectories(work.resolve("dist"));
        run(List.of("tar", "xzf", System.getProperty("piopiy.distribution"), "-C", unpacked.toString()), work);
        Path home;
        try (Stream<Path> dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
        for (String plugin : PLUGINS) {
            try (Stream<Path> zips = Files.list(root.resolve("plugins").resolve(plugin).resolve("target"))) {
                Path zip = zips.filter(p -> p.getFileName().toString().endsWith("-plugin.zip")).findFirst().orElseThrow();
                Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
            }
        }
        Path report = work.resolve("report");
        String out = run(List.of(home.resolve("bin/piopiy").toString(), "--report", report.toString(), "call",
                root.resolve("examples/demo/manifest.json").toString()), work);

        // the transcript's shape: greeting, three caller turns each answered, the barge-in cut the agent, the tool ran
        List<Line> lines = transcript(Files.readString(report.resolve("report.txt")));
        assertThat(out).contains("Transcript", "3 caller turns", "1 interruptions");
        List<String> callers = lines.stream().filter(l -> l.speaker().equals("caller")).map(Line::text).toList();
        assertThat(callers).hasSize(3);
        assertThat(callers.get(0)).contains("table");
        assertThat(callers.get(1)).contains("weather");
        assertThat(callers.get(2)).contains("balance");
        List<String> agents = lines.stream().filter(l -> l.speaker().equals("agent")).map(Line::text).toList();
        assertThat(agents.get(0)).startsWith("Hello! Thank you for calling");
        assertThat(agents.get(1)).startsWith("Certainly.").endsWith("[cut off by the caller]");
        assertThat(agents.get(2)).contains("London");
        assertThat(agents.get(3)).contains("balance");
        assertThat(lines).anyMatch(l -> l.speaker().equals("tool") && l.text().startsWith("current_time"));

        // the timeline lists every turn
        String svg = Files.readString(report.resolve("timeline.svg"));
        assertThat(svg).contains(">turn 1<", ">turn 2<", ">turn 3<");

        // the recording: caller left, agent right, each speaking where the report says
        byte[] wav = Files.readAllBytes(report.resolve("call.wav"));
        ByteBuffer header = ByteBuffer.wrap(wav, 0, 44).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getShort(22)).as("channels").isEqualTo((short) 2);
        int rate = header.getInt(24);
        int frames = (wav.length - 44) / 4;
        short[] caller = new short[frames];
        short[] agent = new short[frames];
        ByteBuffer data = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            caller[i] = data.getShort();
            agent[i] = data.getShort();
        }
        for (Line l : lines) {
            int at = (int) (l.seconds() * rate);
            if (l.speaker().equals("caller")) {
                // a caller turn is reported once the VAD's 0.8 s of quiet has passed and the recogniser is done
                // (later on a busy machine): the words are somewhere in the seconds before
                assertThat(loudestHalfSecond(caller, at - 4 * rate, at - rate * 8 / 10, rate))
                        .as("caller speech before %.2f s", l.seconds()).isGreaterThan(300);
            } else if (l.speaker().equals("agent")) {
                // the agent's line is reported when its last heard word has been sent: its voice is just before
                assertThat(rms(agent, at - rate, at)).as("agent speech before %.2f s", l.seconds()).isGreaterThan(300);
            }
        }
    }

    static List<Line> transcript(String report) {
        Pattern line = Pattern.compile("^\\s+(\\d+\\.\\d+) s\\s+(agent|caller|tool)\\s+(.*)$");
        List<Line> out = new ArrayList<>();
        for (String l : report.lines().toList()) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                out.add(new Line(Double.parseDouble(m.group(1)), m.group(2), m.group(3).strip()));
            }
        }
        return out;
    }

    /** The RMS of the loudest half second between {@code from} and {@code to}, in quarter-second steps. */
    static double loudestHalfSecond(short[] s, int from, int to, int rate) {
        double loudest = 0;
        for (int start = Math.max(0, from); start + rate / 2 <= to; start += rate / 4) {
            loudest = Math.max(loudest, rms(s, start, start + rate / 2));
        }
        return loudest;
    }

    static double rms(short[] s, int from, int to) {
        from = Math.max(0, from);
        to = Math.min(s.length, to);
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }

    static String run(List<String> command, Path work) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path log = Files.createTempFile(work, "out", ".txt");
        Process p = builder.redirectOutput(log.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).as("exit code of %s; output:%n%s", command, out).isZero();
        return out;
    }
}
