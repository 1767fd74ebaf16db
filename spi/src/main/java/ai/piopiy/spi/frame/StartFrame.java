package ai.piopiy.spi.frame;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.audio.AudioFormat;

/** The first frame of every call: every processor sees it before any other frame. */
public record StartFrame(AudioFormat inputFormat, AudioFormat outputFormat, boolean allowInterruptions, boolean metricsEnabled)
        implements SystemFrame {
    public StartFrame {
        requireNonNull(inputFormat, "inputFormat is null");
        requireNonNull(outputFormat, "outputFormat is null");
    }
}
