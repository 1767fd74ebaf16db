package ai.piopiy.runtime.testing;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TransportProviderFactory;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.testing.SimulatedCaller;

/**
 * Transport {@code loopback}: each call is a {@link SimulatedCaller} who listens to the greeting, then
 * {@code turns} times speaks for {@code speak_ms} and listens to the answer, then hangs up.
 */
public final class SimulatedCallerFactory implements TransportProviderFactory {

    @Override
    public String id() {
        return "loopback";
    }

    @Override
    public TransportService create(ProviderConfig config, ProviderContext context) {
        AudioFormat format = AudioFormat.pcm16(config.integer("sample_rate", 16000));
        int turns = config.integer("turns", 1);
        int speakMs = config.integer("speak_ms", 900);
        return new TransportService() {
            @Override
            public String name() {
                return "loopback";
            }

            @Override
            public CallTransport open(CallInfo call) {
                SimulatedCaller caller = new SimulatedCaller(format, format).pause(200).awaitBotQuiet(400);
                for (int i = 0; i < turns; i++) {
                    caller.speak(speakMs).awaitBotSpeaking(100).awaitBotQuiet(400);
                }
                return caller.hangUp();
            }
        };
    }
}
