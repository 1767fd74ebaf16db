package ai.piopiy.runtime.testing;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.VadProviderFactory;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;

/** VAD {@code energy}: a window is speech in proportion to its RMS level over {@code full_scale_rms}. */
public final class EnergyVadFactory implements VadProviderFactory {

    @Override
    public String id() {
        return "energy";
    }

    @Override
    public VadService create(ProviderConfig config, ProviderContext context) {
        double fullScale = config.decimal("full_scale_rms", 3000, 1, 32768);
        return new VadService() {
            @Override
            public String name() {
                return "energy";
            }

            @Override
            public boolean supportsSampleRate(int sampleRate) {
                return sampleRate == 8000 || sampleRate == 16000;
            }

            @Override
            public int preferredSampleRate() {
                return 16000;
            }

            @Override
            public VadSession openSession(int sampleRate) {
                return new VadSession() {
                    @Override
                    public int windowSamples() {
                        return sampleRate / 50;
                    }

                    @Override
                    public float speechProbability(short[] window) {
                        double sum = 0;
                        for (short s : window) {
                            sum += (double) s * s;
                        }
                        return (float) Math.min(1, Math.sqrt(sum / window.length) / fullScale);
                    }

                    @Override
                    public void reset() {}
                };
            }
        };
    }
}
