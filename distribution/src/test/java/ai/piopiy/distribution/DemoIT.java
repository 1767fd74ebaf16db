package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.distribution.TestDistribution.Result;
import ai.piopiy.distribution.WrittenReport.Line;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, as the README's command runs it: the offline demo call (examples/demo/manifest.json)
 * through the unpacked distribution with the demo's plugins in its plugins/ folder — a flite caller,
 * Silero VAD, PocketSphinx, the scripted LLM with a tool, espeak-ng, one barge-in — and its report.
 */
class DemoIT {

    @Test
    void theDemoCallRunsEndToEndAndItsReportMatchesTheRecording(@TempDir Path work) throws Exception {
        Path root = Path.of(System.getProperty("piopiy.root"));
        Path home = TestDistribution.unpack(work);
        TestDistribution.install(home, "silero-vad", "pocketsphinx", "espeak", "scripted-llm", "simulated-caller");
        Path reportDir = work.resolve("report");
        Result r = TestDistribution.piopiy(home, Map.of(), work, "--report", reportDir.toString(), "call",
                root.resolve("examples/demo/manifest.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();

        // the transcript's shape: greeting, three caller turns each answered, the barge-in cut the agent, the tool ran
        WrittenReport report = WrittenReport.read(reportDir);
        assertThat(r.out()).contains("Transcript", "3 caller turns", "1 interruptions");
        List<String> callers = report.linesOf("caller").stream().map(Line::text).toList();
        assertThat(callers).hasSize(3);
        assertThat(callers.get(0)).contains("table");
        assertThat(callers.get(1)).contains("weather");
        assertThat(callers.get(2)).contains("balance");
        List<String> agents = report.linesOf("agent").stream().map(Line::text).toList();
        assertThat(agents.get(0)).startsWith("Hello! Thank you for calling");
        assertThat(agents.get(1)).startsWith("Certainly.").endsWith("[cut off by the caller]");
        assertThat(agents.get(2)).contains("London");
        assertThat(agents.get(3)).contains("balance");
        assertThat(report.transcript()).anyMatch(l -> l.speaker().equals("tool") && l.text().startsWith("current_time"));

        // the timeline lists every turn
        String svg = Files.readString(reportDir.resolve("timeline.svg"));
        assertThat(svg).contains(">turn 1<", ">turn 2<", ">turn 3<");

        // the recording: caller left, agent right, each speaking where the report says
        int rate = report.rate();
        for (Line l : report.transcript()) {
            int at = report.at(l.seconds());
            if (l.speaker().equals("caller")) {
                // a caller turn is reported once the VAD's 0.8 s of quiet has passed and the recogniser is done
                // (later on a busy machine): the words are somewhere in the seconds before
                assertThat(report.loudestHalfSecond(report.caller(), at - 4 * rate, at - rate * 8 / 10))
                        .as("caller speech before %.2f s", l.seconds()).isGreaterThan(300);
            } else if (l.speaker().equals("agent")) {
                // the agent's line is reported when its last heard word has been sent: its voice is just before
                assertThat(WrittenReport.rms(report.agent(), at - rate, at)).as("agent speech before %.2f s", l.seconds())
                        .isGreaterThan(300);
            }
        }
    }
}
