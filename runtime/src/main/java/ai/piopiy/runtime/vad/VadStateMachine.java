package ai.piopiy.runtime.vad;

import ai.piopiy.spi.vad.VadParams;

/**
 * Turns per-window speech decisions into "started speaking" / "stopped speaking", with Pipecat's
 * semantics: speech must last {@code startSeconds} before it counts, quiet must last
 * {@code stopSeconds} before the turn is over, and a window counts as speech only when the model is
 * confident enough and the audio is loud enough (smoothed volume: fast to rise, slow to fall).
 */
public final class VadStateMachine {

    public enum State { QUIET, STARTING, SPEAKING, STOPPING }

    /** What a window changed. */
    public enum Transition { NONE, STARTED, STOPPED }

    private final VadParams params;
    private final int startWindows;
    private final int stopWindows;
    private State state = State.QUIET;
    private int count;
    private double smoothedVolume;
    private boolean lastWindowSpeech;

    public VadStateMachine(VadParams params, double windowSeconds) {
        this.params = params;
        this.startWindows = Math.max(1, (int) Math.round(params.startSeconds() / windowSeconds));
        this.stopWindows = Math.max(1, (int) Math.round(params.stopSeconds() / windowSeconds));
    }

    /**
     * @param confidence the model's speech probability for the window
     * @param rms the window's RMS (PCM16 units)
     */
    public Transition onWindow(float confidence, double rms) {
        double volume = volumeOf(rms);
        // fast attack, slow release: speech counts from its first loud windows, and a dip between words
        // does not end it (a symmetric 0.2 smoothing would hold the start back by ~5 windows)
        double factor = volume > smoothedVolume ? 0.6 : 0.2;
        smoothedVolume += factor * (volume - smoothedVolume);
        boolean speech = confidence >= params.confidence() && smoothedVolume >= params.minVolume();
        lastWindowSpeech = speech;
        switch (state) {
            case QUIET -> {
                if (speech) {
                    state = State.STARTING;
                    count = 1;
                    if (count >= startWindows) {
                        state = State.SPEAKING;
                        return Transition.STARTED;
                    }
                }
            }
            case STARTING -> {
                if (speech) {
                    if (++count >= startWindows) {
                        state = State.SPEAKING;
                        return Transition.STARTED;
                    }
                } else {
                    state = State.QUIET;
                }
            }
            case SPEAKING -> {
                if (!speech) {
                    state = State.STOPPING;
                    count = 1;
                    if (count >= stopWindows) {
                        state = State.QUIET;
                        return Transition.STOPPED;
                    }
                }
            }
            case STOPPING -> {
                if (speech) {
                    state = State.SPEAKING;
                } else if (++count >= stopWindows) {
                    state = State.QUIET;
                    return Transition.STOPPED;
                }
            }
        }
        return Transition.NONE;
    }

    public State state() {
        return state;
    }

    /** Whether the latest window was speech (false in the quiet tail before a stop is confirmed). */
    public boolean lastWindowSpeech() {
        return lastWindowSpeech;
    }

    public boolean isSpeaking() {
        return state == State.SPEAKING || state == State.STOPPING;
    }

    public void reset() {
        state = State.QUIET;
        count = 0;
        smoothedVolume = 0;
        lastWindowSpeech = false;
    }

    /**
     * Loudness in 0..1: -60 dBFS and below is 0, -20 dBFS and above is 1. So the default minimum of
     * 0.6 asks for about -36 dBFS, which telephone speech clears and line noise does not.
     */
    public static double volumeOf(double rms) {
        if (rms < 1) {
            return 0;
        }
        double db = 20 * Math.log10(rms / 32768.0);
        return Math.max(0, Math.min(1, (db + 60) / 40));
    }
}
