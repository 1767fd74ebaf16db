package ai.piopiy.distribution;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code piopiy --report DIR call} wrote: report.txt's transcript and call.wav's two channels
 * (caller left, agent right).
 */
record WrittenReport(List<Line> transcript, int rate, short[] caller, short[] agent) {

    /** A transcript line of report.txt: seconds from the call's start, who, what. */
    record Line(double seconds, String speaker, String text) {}

    static WrittenReport read(Path dir) throws IOException {
        List<Line> lines = new ArrayList<>();
        Pattern line = Pattern.compile("^\\s+(\\d+\\.\\d+) s\\s+(agent|caller|tool)\\s+(.*)$");
        for (String l : Files.readAllLines(dir.resolve("report.txt"))) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                lines.add(new Line(Double.parseDouble(m.group(1)), m.group(2), m.group(3).strip()));
            }
        }
        byte[] wav = Files.readAllBytes(dir.resolve("call.wav"));
        ByteBuffer header = ByteBuffer.wrap(wav, 0, 44).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getShort(22) != 2) {
            throw new AssertionError("call.wav has " + header.getShort(22) + " channels, not 2");
        }
        int frames = (wav.length - 44) / 4;
        short[] caller = new short[frames];
        short[] agent = new short[frames];
        ByteBuffer data = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            caller[i] = data.getShort();
            agent[i] = data.getShort();
        }
        return new WrittenReport(List.copyOf(lines), header.getInt(24), caller, agent);
    }

    /** The lines of {@code speaker}. */
    List<Line> linesOf(String speaker) {
        return transcript.stream().filter(l -> l.speaker().equals(speaker)).toList();
    }

    /** The sample index of {@code seconds} into the call. */
    int at(double seconds) {
        return (int) (seconds * rate);
    }

    /** The RMS of the loudest half second of {@code s} between samples {@code from} and {@code to}, in quarter-second steps. */
    double loudestHalfSecond(short[] s, int from, int to) {
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
}
