package ai.piopiy.runtime.vad;

import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;

/**
 * The built-in voice-activity model: no plugin, no native code. It tracks the noise floor of the
 * call (fast down, slow up) and scores each 20 ms window by its loudness above that floor, so steady
 * line noise and hum do not count as speech while a voice does. Good enough for telephony; the
 * Silero plugin is better at telling speech from other loud sounds.
 */
public final class EnergyVadService implements VadService {

    /** Below this level (dBFS) nothing is speech, whatever the floor. */
    private static final double ABSOLUTE_FLOOR_DB = -55;
    private static final double SNR_AT_ZERO_DB = 6;
    private static final double SNR_AT_ONE_DB = 18;

    @Override
    public String name() {
        return "energy";
    }

    @Override
    public boolean supportsSampleRate(int sampleRate) {
        return sampleRate >= 8_000 && sampleRate <= 48_000 && sampleRate % 50 == 0;
    }

    @Override
    public int preferredSampleRate() {
        return 16_000;
    }

    @Override
    public VadSession openSession(int sampleRate) {
        return new Session(sampleRate / 50);
    }

    private static final class Session implements VadSession {
        private final int window;
        private double noiseFloorDb = -50;
        private boolean primed;

        Session(int window) {
            this.window = window;
        }

        @Override
        public int windowSamples() {
            return window;
        }

        @Override
        public float speechProbability(short[] samples) {
            long sum = 0;
            for (int i = 0; i < window; i++) {
                sum += samples[i] * samples[i];
            }
            double rms = Math.sqrt((double) sum / window);
            double db = rms < 1 ? -96 : 20 * Math.log10(rms / 32768.0);
            if (!primed) {
                noiseFloorDb = Math.min(db, -40);
                primed = true;
            }
            double snr = db - noiseFloorDb;
            // the floor follows quiet quickly and loud sounds only slowly, so speech does not become the floor
            noiseFloorDb += (db < noiseFloorDb ? 0.5 : 0.002) * (db - noiseFloorDb);
            if (db < ABSOLUTE_FLOOR_DB) {
                return 0f;
            }
            double p = (snr - SNR_AT_ZERO_DB) / (SNR_AT_ONE_DB - SNR_AT_ZERO_DB);
            return (float) Math.max(0, Math.min(1, p));
        }

        @Override
        public void reset() {
            noiseFloorDb = -50;
            primed = false;
        }
    }
}
