package ai.piopiy.plugin.simcaller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.simcaller.CallerLine.When;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import ai.piopiy.testing.RecordingProviderContext;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(60)
class SimulatedCallerTest {

    static final Logger LOG = LoggerFactory.getLogger(SimulatedCallerTest.class);

    @Test
    void theFactoryReadsTheScriptAndRejectsMistakesByPath() {
        try (RecordingProviderContext context = new RecordingProviderContext("simulated-caller")) {
            factoryReadsTheScript(context);
        }
    }

    private static void factoryReadsTheScript(ProviderContext context) {
        ProviderFactory factory = ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("simulated-caller")).findFirst().orElseThrow();
        SimulatedCallerService service = (SimulatedCallerService) factory.create(ProviderConfig.of("transport", Map.of(
                "lines", List.of(Map.of("say", "hello"), Map.of("say", "wait", "when", "bot_speaking", "after_ms", 900)),
                "voice", "awb"), Map.of()), context);
        assertThat(service.config().lines()).containsExactly(new CallerLine("hello", When.BOT_QUIET, 700), new CallerLine("wait", When.BOT_SPEAKING, 900));
        assertThat(service.config().voice()).isEqualTo("awb");
        assertThat(service.config().inputRate()).isEqualTo(16_000);
        assertThat(service.config().outputRate()).isEqualTo(8_000);

        assertThatThrownBy(() -> factory.create(ProviderConfig.of("transport", Map.of("lines", List.of(Map.of("say", "x", "when", "later"))), Map.of()), context))
                .isInstanceOf(ConfigException.class)
                .hasMessage("transport.lines[0].when: expected one of bot_quiet, bot_speaking, pause but got \"later\"");
        assertThatThrownBy(() -> factory.create(ProviderConfig.of("transport", Map.of("lines", List.of(Map.of("sya", "x"))), Map.of()), context))
                .hasMessage("transport.lines[0].say: missing; expected a string");
        assertThatThrownBy(() -> factory.create(ProviderConfig.of("transport", Map.of(), Map.of()), context))
                .hasMessage("transport.lines: missing; expected a list of lines");
    }

    @Test
    void fliteSpeaksTheLines() {
        SimulatedCallerService service = new SimulatedCallerService(SimulatedCallerConfig.of(List.of()), LOG);
        byte[] pcm = service.synthesise("I would like to book a table for two tonight");
        double seconds = pcm.length / 2 / 16_000.0;
        assertThat(seconds).isBetween(1.2, 5.0);
        assertThat(Pcm16.rms(pcm)).isGreaterThan(500);
    }

    @Test
    void missingFliteIsAClearError() {
        SimulatedCallerService service = new SimulatedCallerService(new SimulatedCallerConfig(List.of(), "rms", 16_000, 8_000, 500, 10_000, "/nonexistent/flite"), LOG);
        assertThatThrownBy(() -> service.synthesise("hi")).hasMessageContaining("apt-get install flite");
    }

    /** Plays the bot's side: tone frames written in real time for {@code millis}. */
    static void botSays(CallTransport t, int millis) throws InterruptedException {
        byte[] frame = new byte[320];
        for (int i = 0; i < 160; i++) {
            Pcm16.putSample(frame, i, (short) (i % 2 == 0 ? 3000 : -3000));
        }
        for (int i = 0; i < millis / 20; i++) {
            t.writeAudio(frame, 0, frame.length);
            Thread.sleep(20);
        }
    }

    @Test
    void theCallerWaitsForTheBotBargesInAndHangsUp() throws Exception {
        SimulatedCallerService service = new SimulatedCallerService(new SimulatedCallerConfig(List.of(
                new CallerLine("yes please", When.BOT_QUIET, 300),
                new CallerLine("wait", When.BOT_SPEAKING, 400)), "rms", 16_000, 8_000, 300, 30_000, "flite"), LOG);
        CallTransport t = service.open(new CallInfo("c1", "a", null, null, null, null, null, Map.of()));
        List<long[]> speech = new CopyOnWriteArrayList<>(); // [start, end] of each run of loud frames
        CountDownLatch left = new CountDownLatch(1);
        t.start(new TransportListener() {
            @Override
            public void onAudio(byte[] pcm) {
                long now = System.nanoTime();
                if (Pcm16.rms(pcm) > 300) {
                    if (speech.isEmpty() || now - speech.getLast()[1] > 200_000_000L) {
                        speech.add(new long[] {now, now});
                    } else {
                        speech.getLast()[1] = now;
                    }
                }
            }

            @Override
            public void onCallerLeft(String participantId, String reason) {
                left.countDown();
            }
        });
        botSays(t, 600); // the greeting
        long greetingEnd = System.nanoTime();
        while (speech.isEmpty()) {
            Thread.sleep(10);
        }
        assertThat(speech.getFirst()[0] - greetingEnd).as("waits for the bot to be quiet").isBetween(250_000_000L, 600_000_000L);
        Thread.sleep(1_500); // the caller's line plays out
        long answerStart = System.nanoTime();
        Thread bot = Thread.ofVirtual().start(() -> {
            try {
                botSays(t, 2_000);
            } catch (InterruptedException ignored) {
                // the test is over
            }
        });
        while (speech.size() < 2) {
            Thread.sleep(10);
        }
        assertThat(speech.get(1)[0] - answerStart).as("barges in over the bot").isBetween(350_000_000L, 700_000_000L);
        bot.join();
        assertThat(left.await(5, TimeUnit.SECONDS)).isTrue();
        t.close();
    }
}
