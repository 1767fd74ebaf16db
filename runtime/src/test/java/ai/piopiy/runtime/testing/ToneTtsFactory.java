package ai.piopiy.runtime.testing;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TtsProviderFactory;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;

/** TTS {@code tone}: speaks each character of text as {@code ms_per_char} of a sine at {@code frequency_hz}. */
public final class ToneTtsFactory implements TtsProviderFactory {

    @Override
    public String id() {
        return "tone";
    }

    @Override
    public TtsService create(ProviderConfig config, ProviderContext context) {
        double frequency = config.decimal("frequency_hz", 440, 20, 8000);
        int msPerChar = config.integer("ms_per_char", 10);
        return new TtsService() {
            @Override
            public String name() {
                return "tone";
            }

            @Override
            public TtsSession openSession(AudioFormat format, String callId) {
                return new TtsSession() {
                    @Override
                    public TtsUtterance startUtterance(TtsListener listener) {
                        return new TtsUtterance() {
                            private boolean cancelled;

                            @Override
                            public void sendText(String text) {
                                if (!cancelled) {
                                    listener.onAudio(sine(format.sampleRate(), frequency, text.length() * msPerChar));
                                }
                            }

                            @Override
                            public void finish() {
                                if (!cancelled) {
                                    listener.onDone();
                                }
                            }

                            @Override
                            public void cancel() {
                                cancelled = true;
                            }
                        };
                    }

                    @Override
                    public void close() {}
                };
            }
        };
    }

    static byte[] sine(int rate, double frequency, int millis) {
        int samples = rate * millis / 1000;
        byte[] pcm = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short s = (short) (Math.sin(2 * Math.PI * frequency * i / rate) * 8000);
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        return pcm;
    }
}
