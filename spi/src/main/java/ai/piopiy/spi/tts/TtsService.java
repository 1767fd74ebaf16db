package ai.piopiy.spi.tts;

import ai.piopiy.spi.Service;
import ai.piopiy.spi.audio.AudioFormat;

/**
 * Streaming text-to-speech. Shared by all calls; a call opens one {@link TtsSession} (a provider
 * may keep one connection per session) and speaks each bot answer as one {@link TtsUtterance}.
 */
public interface TtsService extends Service {

    /**
     * Opens a session whose audio is PCM16 at {@code outputFormat}'s rate. A provider that cannot
     * produce that rate resamples (see {@link ai.piopiy.spi.audio.Resampler}).
     */
    TtsSession openSession(AudioFormat outputFormat, String callId);
}
