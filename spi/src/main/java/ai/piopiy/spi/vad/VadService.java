package ai.piopiy.spi.vad;

import ai.piopiy.spi.Service;

/**
 * A voice-activity model. The runtime owns the speaking/quiet state machine (start and stop delays,
 * thresholds, volume); a provider only answers "how likely is this window speech".
 * The service (for example a loaded neural network) is shared by all calls.
 */
public interface VadService extends Service {

    /** Whether the model works at this rate; the runtime resamples to one it supports otherwise. */
    boolean supportsSampleRate(int sampleRate);

    /** The rate to resample to when the call's rate is not supported. */
    int preferredSampleRate();

    /** A per-call analyser holding the model's recurrent state. */
    VadSession openSession(int sampleRate);
}
