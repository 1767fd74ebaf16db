package ai.piopiy.plugin.espeak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.RecordingProviderContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real synthesis with Debian's espeak-ng. */
class EspeakTtsServiceTest {

    static final String SHORT = "Your table is booked.";
    static final String LONG = "Your table for two is booked for eight o'clock tonight, and we will send a text message"
            + " to confirm it within the next few minutes.";

    static RecordingProviderContext context;
    static EspeakTtsService service;

    @BeforeAll
    static void start() {
        assumeTrue(runs("espeak-ng"), "skipped: espeak-ng is missing; apt-get install espeak-ng");
        context = new RecordingProviderContext("espeak");
        service = new EspeakTtsService(EspeakTtsConfig.defaults(), context);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
            context.close();
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8_000, 16_000})
    void speaksSpeechLikeAudioWhoseLengthFollowsTheText(int rate) throws Exception {
        AudioFormat format = AudioFormat.pcm16(rate);
        TtsSession session = service.openSession(format, "call-" + rate);

        List<Object> shortEvents = speak(session, SHORT);
        List<Object> longEvents = speak(session, LONG);

        byte[] shortAudio = RecordingTtsListener.audio(shortEvents);
        byte[] longAudio = RecordingTtsListener.audio(longEvents);
        double shortSeconds = shortAudio.length / 2.0 / rate;
        double longSeconds = longAudio.length / 2.0 / rate;
        System.out.printf("espeak %d Hz: %.2f s for %d characters, %.2f s for %d characters%n",
                rate, shortSeconds, SHORT.length(), longSeconds, LONG.length());
        assertThat(shortSeconds).isBetween(0.8, 3.0);
        assertThat(longSeconds / shortSeconds).isBetween(3.0, 9.0);
        assertThat(Pcm16.rms(longAudio)).as("speech energy").isGreaterThan(1_000);
        assertThat(voicedShare(longAudio, rate)).as("share of 20 ms frames with speech").isBetween(0.5, 0.98);
        int chunk = format.bytesPer(20);
        List<Object> chunks = longEvents.subList(0, longEvents.size() - 1);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(((byte[]) c).length).isEqualTo(chunk));
        assertThat(((byte[]) chunks.getLast()).length).isBetween(2, chunk);
        session.close();
    }

    @Test
    void piecesAreSpokenInOrderEachAsItsOwnProcess() throws Exception {
        TtsSession session = service.openSession(AudioFormat.PCM16_16K, "order");
        byte[] first = RecordingTtsListener.audio(speak(session, "Hello there."));
        byte[] second = RecordingTtsListener.audio(speak(session, "How can I help you today?"));

        RecordingTtsListener listener = new RecordingTtsListener();
        TtsUtterance both = session.startUtterance(listener);
        both.sendText("Hello there.");
        both.sendText("How can I help you today?");
        both.finish();
        byte[] together = RecordingTtsListener.audio(listener.untilTerminal());

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);
        assertThat(together).isEqualTo(expected.toByteArray());
        assertThat(listener.events.overlapped()).isFalse();
    }

    @Test
    void cancelMidSentenceStopsTheProcessAndTheAudio() throws Exception {
        TtsSession session = service.openSession(AudioFormat.PCM16_8K, "cancel");
        RecordingTtsListener listener = new RecordingTtsListener();
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText(LONG + " " + LONG + " " + LONG);
        utterance.sendText("This sentence is never spoken.");
        utterance.finish();

        assertThat(listener.next()).isInstanceOf(byte[].class);
        utterance.cancel();
        utterance.cancel();
        int delivered = listener.events.recorded();

        listener.events.assertNothingAfter(delivered, 500);
        double seconds = listener.audioBytes() / 2.0 / 8_000;
        System.out.printf("espeak: %.2f s of audio delivered before the cancel%n", seconds);
        assertThat(seconds).as("audio delivered of about 22 s").isLessThan(15);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (espeakChildren() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(espeakChildren()).as("espeak-ng processes still running").isZero();
    }

    @Test
    void aTwoUtteranceTurnAfterACancelledOneStillSpeaks() throws Exception {
        TtsSession session = service.openSession(AudioFormat.PCM16_16K, "again");
        RecordingTtsListener cancelled = new RecordingTtsListener();
        TtsUtterance first = session.startUtterance(cancelled);
        first.sendText(LONG);
        assertThat(cancelled.next()).isInstanceOf(byte[].class);
        first.cancel();
        int delivered = cancelled.events.recorded();

        assertThat(RecordingTtsListener.audio(speak(session, "One."))).isNotEmpty();
        assertThat(RecordingTtsListener.audio(speak(session, "Two."))).isNotEmpty();
        cancelled.events.assertNothingAfter(delivered, 100);
    }

    @Test
    void textThatLooksLikeAnOptionIsSpoken() throws Exception {
        TtsSession session = service.openSession(AudioFormat.PCM16_16K, "dash");

        assertThat(RecordingTtsListener.audio(speak(session, "-5 degrees --help"))).hasSizeGreaterThan(16_000);
    }

    @Test
    void finishWithoutTextIsDoneAtOnce() throws Exception {
        RecordingTtsListener listener = new RecordingTtsListener();
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "empty").startUtterance(listener);
        utterance.sendText("   ");
        utterance.finish();

        assertThat(listener.untilTerminal()).containsExactly(RecordingTtsListener.DONE);
    }

    @Test
    void reportsTimeToFirstAudioAndCharacters() throws Exception {
        try (RecordingProviderContext own = new RecordingProviderContext("espeak");
                EspeakTtsService measured = new EspeakTtsService(EspeakTtsConfig.defaults(), own)) {
            speak(measured.openSession(AudioFormat.PCM16_8K, "ttfb"), SHORT);

            assertThat(own.recordedMetrics()).contains(new Metric.TtsCharacters("espeak", SHORT.length()));
            Metric.TimeToFirstByte ttfb = own.recordedMetrics().stream()
                    .filter(Metric.TimeToFirstByte.class::isInstance).map(Metric.TimeToFirstByte.class::cast)
                    .findFirst().orElseThrow();
            System.out.printf("espeak: first audio %d ms after the text%n", ttfb.nanos() / 1_000_000);
            assertThat(Duration.ofNanos(ttfb.nanos())).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void anUnknownVoiceIsAnErrorWithEspeaksOwnWords() throws Exception {
        try (RecordingProviderContext own = new RecordingProviderContext("espeak");
                EspeakTtsService wrong = new EspeakTtsService(EspeakTtsConfig.defaults().withVoice("xx-nowhere"), own)) {
            List<Object> events = speak(wrong.openSession(AudioFormat.PCM16_8K, "voice"), SHORT);

            assertThat(events).singleElement().isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.getMessage()).isEqualTo(
                        "espeak: espeak-ng failed with exit status 1: Error: The specified espeak-ng voice does not exist.");
                assertThat(e.fatal()).isFalse();
            });
        }
    }

    @Test
    void aMissingBinaryNamesTheDebianPackage() {
        assertThatThrownBy(() -> new EspeakTtsService(EspeakTtsConfig.defaults().withBinary("/nonexistent/espeak-ng"), context))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.fatal()).isTrue())
                .hasMessageStartingWith("espeak: cannot run /nonexistent/espeak-ng (")
                .hasMessageEndingWith("); install the Debian package espeak-ng (apt-get install espeak-ng)"
                        + " or set 'binary' to its path");
    }

    private static List<Object> speak(TtsSession session, String text) throws InterruptedException {
        RecordingTtsListener listener = new RecordingTtsListener();
        TtsUtterance utterance = session.startUtterance(listener);
        utterance.sendText(text);
        utterance.finish();
        return listener.untilTerminal();
    }

    private static double voicedShare(byte[] pcm, int rate) {
        int frame = rate / 50 * 2;
        int voiced = 0;
        int frames = pcm.length / frame;
        for (int i = 0; i < frames; i++) {
            if (Pcm16.rms(pcm, i * frame, frame) > 300) {
                voiced++;
            }
        }
        return (double) voiced / frames;
    }

    private static long espeakChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("espeak-ng")).orElse(false))
                .filter(ProcessHandle::isAlive)
                .count();
    }

    private static boolean runs(String binary) {
        try {
            return new ProcessBuilder(binary, "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
