package ai.piopiy.plugin.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.piopiy.plugin.silero.SpeechFixture.Segment;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.vad.VadSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SileroVadServiceTest {

    private static final double TOLERANCE_SECONDS = 0.100;

    private static SileroVadService service;

    @BeforeAll
    static void loadModel() {
        service = new SileroVadService(SileroVadConfig.DEFAULTS);
    }

    @AfterAll
    static void closeModel() {
        service.close();
    }

    @Test
    void ratesAndWindows() {
        assertThat(service.name()).isEqualTo("silero");
        assertThat(service.supportsSampleRate(16_000)).isTrue();
        assertThat(service.supportsSampleRate(8_000)).isTrue();
        assertThat(service.supportsSampleRate(24_000)).isFalse();
        assertThat(service.supportsSampleRate(48_000)).isFalse();
        assertThat(service.preferredSampleRate()).isEqualTo(16_000);
        try (VadSession wide = service.openSession(16_000); VadSession narrow = service.openSession(8_000)) {
            assertThat(wide.windowSamples()).isEqualTo(512);
            assertThat(narrow.windowSamples()).isEqualTo(256);
        }
    }

    /**
     * The committed recordings' probabilities as an independent implementation computes them
     * (onnxruntime-web with vad-web's framing; src/test/reference/silero-reference.mjs). Leaving out
     * or zeroing the 64/32-sample context moves some windows by more than 0.02.
     */
    @ParameterizedTest
    @ValueSource(ints = {16_000, 8_000})
    void matchesTheReferenceImplementation(int rate) throws IOException {
        String name = "hello-" + rate / 1000 + "k";
        SpeechFixture.Wav wav = SpeechFixture.readWav(resource(name + ".wav"));
        assertThat(wav.rate()).isEqualTo(rate);
        short[] samples = new short[wav.pcm().length / 2];
        Pcm16.toShorts(wav.pcm(), 0, samples, samples.length);
        float[] p = probabilities(new SpeechFixture(rate, samples, List.of()));
        List<String> lines = new String(resource(name + ".probabilities"), StandardCharsets.US_ASCII).lines()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        float[] expected = new float[lines.size()];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = Float.parseFloat(lines.get(k));
        }
        assertThat(p).hasSameSizeAs(expected);
        for (int k = 0; k < p.length; k++) {
            assertThat(p[k]).as("window %d", k).isCloseTo(expected[k], within(1e-3f));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16_000, 8_000})
    void probabilitiesSeparateSpeechFromSilence(int rate) {
        SpeechFixture fixture = SpeechFixture.twoSentences(rate);
        float[] p = probabilities(fixture);
        int window = windowSamples(rate);
        List<Float> speech = new ArrayList<>();
        List<Float> silence = new ArrayList<>();
        int margin = rate / 5; // windows within 200 ms of a boundary are neither
        for (int k = 0; k < p.length; k++) {
            int start = k * window;
            int end = start + window;
            if (fixture.speech().stream().anyMatch(s -> start >= s.start() && end <= s.end())) {
                speech.add(p[k]);
            } else if (fixture.speech().stream().allMatch(s -> end + margin <= s.start() || start >= s.end() + margin)) {
                silence.add(p[k]);
            }
        }
        assertThat(speech).hasSizeGreaterThan(100);
        assertThat(silence).hasSizeGreaterThan(50);
        assertThat(mean(speech)).as("mean speech probability").isGreaterThan(0.8);
        assertThat(speech.stream().filter(x -> x >= 0.5f).count()).as("speech windows at or above 0.5")
                .isGreaterThanOrEqualTo(Math.round(speech.size() * 0.85));
        assertThat(mean(silence)).as("mean silence probability").isLessThan(0.05);
        assertThat(silence).as("silence windows").allMatch(x -> x < 0.2f);
    }

    @ParameterizedTest
    @ValueSource(ints = {16_000, 8_000})
    void detectedSegmentsMatchTheKnownBoundaries(int rate) {
        SpeechFixture fixture = SpeechFixture.twoSentences(rate);
        List<Segment> detected = segments(probabilities(fixture), windowSamples(rate), rate);
        assertThat(detected).as("segments detected at %d Hz", rate).hasSameSizeAs(fixture.speech());
        for (int i = 0; i < detected.size(); i++) {
            Segment known = fixture.speech().get(i);
            Segment found = detected.get(i);
            assertThat(fixture.seconds(found.start())).as("start of sentence %d", i + 1)
                    .isCloseTo(fixture.seconds(known.start()), within(TOLERANCE_SECONDS));
            assertThat(fixture.seconds(found.end())).as("end of sentence %d", i + 1)
                    .isCloseTo(fixture.seconds(known.end()), within(TOLERANCE_SECONDS));
        }
    }

    @Test
    void resetForgetsTheState() {
        SpeechFixture fixture = SpeechFixture.twoSentences(16_000);
        try (VadSession session = service.openSession(16_000)) {
            float[] first = run(session, fixture.windows(512));
            float[] carriedOver = run(session, fixture.windows(512));
            session.reset();
            float[] afterReset = run(session, fixture.windows(512));
            assertThat(carriedOver).as("the state carries from one pass to the next").isNotEqualTo(first);
            assertThat(afterReset).isEqualTo(first);
        }
    }

    @Test
    void interleavedSessionsKeepTheirOwnState() {
        SpeechFixture wide = SpeechFixture.twoSentences(16_000);
        SpeechFixture narrow = SpeechFixture.twoSentences(8_000);
        List<short[]> a = wide.windows(512);
        List<short[]> b = reversed(wide.windows(512));
        List<short[]> c = narrow.windows(256);
        float[] soloA = probabilities(a, 16_000);
        float[] soloB = probabilities(b, 16_000);
        float[] soloC = probabilities(c, 8_000);

        float[] pa = new float[a.size()];
        float[] pb = new float[b.size()];
        float[] pc = new float[c.size()];
        try (VadSession sa = service.openSession(16_000);
                VadSession sb = service.openSession(16_000);
                VadSession sc = service.openSession(8_000)) {
            for (int k = 0; k < Math.max(a.size(), c.size()); k++) {
                if (k < a.size()) {
                    pa[k] = sa.speechProbability(a.get(k));
                    pb[k] = sb.speechProbability(b.get(k));
                }
                if (k < c.size()) {
                    pc[k] = sc.speechProbability(c.get(k));
                }
            }
        }
        assertThat(pa).isEqualTo(soloA);
        assertThat(pb).isEqualTo(soloB);
        assertThat(pc).isEqualTo(soloC);
    }

    @Test
    void eightThreadsShareTheModel() throws Exception {
        List<short[]> wide = SpeechFixture.twoSentences(16_000).windows(512);
        List<short[]> narrow = SpeechFixture.twoSentences(8_000).windows(256);
        float[] expectedWide = probabilities(wide, 16_000);
        float[] expectedNarrow = probabilities(narrow, 8_000);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                boolean isWide = t % 2 == 0;
                results.add(threads.submit(() -> {
                    start.await();
                    return isWide ? probabilities(wide, 16_000) : probabilities(narrow, 8_000);
                }));
            }
            start.countDown();
            for (int t = 0; t < 8; t++) {
                assertThat(results.get(t).get()).as("thread %d", t).isEqualTo(t % 2 == 0 ? expectedWide : expectedNarrow);
            }
        }
    }

    @Test
    void misuseIsRejected() {
        assertThatThrownBy(() -> service.openSession(44_100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8000 or 16000").hasMessageContaining("44100");
        VadSession session = service.openSession(16_000);
        assertThatThrownBy(() -> session.speechProbability(new short[256]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512").hasMessageContaining("256");
        session.close();
        session.close();
        assertThatThrownBy(() -> session.speechProbability(new short[512]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aClosedServiceOpensNoSession() {
        SileroVadService closed = new SileroVadService(SileroVadConfig.DEFAULTS);
        closed.close();
        closed.close();
        assertThatThrownBy(() -> closed.openSession(16_000)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void theBundledModelIsTheOneThePomPins() throws IOException, NoSuchAlgorithmException {
        String pinned = System.getProperty("silero.model.sha256");
        assertThat(pinned).as("surefire passes the pom's digest").hasSize(64);
        try (InputStream in = SileroVadService.class.getResourceAsStream(SileroVadService.BUNDLED_MODEL)) {
            assertThat(in).as("model resource").isNotNull();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            assertThat(HexFormat.of().formatHex(digest)).isEqualTo(pinned);
        }
    }

    @Test
    void theModelLoadsOnceWhetherPrewarmOrTheFirstCallsComeFirst() throws Exception {
        try (SileroVadService service = new SileroVadService(SileroVadConfig.DEFAULTS)) {
            SpeechFixture fixture = SpeechFixture.twoSentences(16_000);
            float[] expected = probabilities(fixture);
            java.util.List<Thread> threads = new java.util.ArrayList<>();
            java.util.List<float[]> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            threads.add(Thread.ofPlatform().start(service::prewarm));
            for (int i = 0; i < 3; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (VadSession session = service.openSession(16_000)) {
                        results.add(run(session, fixture.windows(512)));
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(results).hasSize(3).allSatisfy(p -> {
                for (int k = 0; k < p.length; k++) {
                    assertThat(p[k]).as("window %d", k).isCloseTo(expected[k], within(1e-5f));
                }
            });
            service.prewarm();
        }
        SileroVadService neverUsed = new SileroVadService(SileroVadConfig.DEFAULTS);
        neverUsed.close();
        assertThatThrownBy(neverUsed::prewarm).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aModelFileCanReplaceTheBundledOne() {
        Path file = Path.of(System.getProperty("silero.model.file"));
        SpeechFixture fixture = SpeechFixture.twoSentences(16_000);
        float[] bundled = probabilities(fixture);
        try (SileroVadService fromFile = new SileroVadService(SileroVadConfig.DEFAULTS.withModelPath(file).withThreads(2));
                VadSession session = fromFile.openSession(16_000)) {
            float[] p = run(session, fixture.windows(512));
            for (int k = 0; k < p.length; k++) {
                assertThat(p[k]).as("window %d", k).isCloseTo(bundled[k], within(1e-4f));
            }
        }
    }

    @Test
    void aFileThatIsNotAModelFailsClearly(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        // read and loaded by prewarm (or the first session): that is where a bad model shows
        try (SileroVadService service = new SileroVadService(SileroVadConfig.DEFAULTS.withModelPath(junk))) {
            assertThatThrownBy(service::prewarm)
                    .isInstanceOf(ServiceException.class)
                    .hasMessageStartingWith("silero: cannot load the Silero VAD model from " + junk)
                    .satisfies(e -> assertThat(((ServiceException) e).fatal()).isTrue());
            assertThatThrownBy(() -> service.openSession(16_000))
                    .isInstanceOf(ServiceException.class)
                    .hasMessageStartingWith("silero: cannot load the Silero VAD model from " + junk);
        }
        Path missing = dir.resolve("missing.onnx");
        try (SileroVadService service = new SileroVadService(SileroVadConfig.DEFAULTS.withModelPath(missing))) {
            assertThatThrownBy(service::prewarm)
                    .isInstanceOf(ServiceException.class)
                    .hasMessageStartingWith("silero: cannot read the Silero VAD model from " + missing);
        }
    }

    // ---- helpers

    /**
     * Speech segments by per-window thresholding: speech starts at the first window at or above 0.5
     * and ends after the last one, once 300 ms pass below it; segments under 100 ms are dropped.
     */
    static List<Segment> segments(float[] p, int window, int rate) {
        int hangover = (int) Math.ceil(0.3 * rate / window);
        int minimum = (int) Math.ceil(0.1 * rate / window);
        List<Segment> out = new ArrayList<>();
        int start = -1;
        int lastSpeech = -1;
        for (int k = 0; k <= p.length; k++) {
            boolean speech = k < p.length && p[k] >= 0.5f;
            if (speech) {
                if (start < 0) {
                    start = k;
                }
                lastSpeech = k;
            } else if (start >= 0 && (k == p.length || k - lastSpeech >= hangover)) {
                if (lastSpeech + 1 - start >= minimum) {
                    out.add(new Segment(start * window, (lastSpeech + 1) * window));
                }
                start = -1;
            }
        }
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SileroVadServiceTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static int windowSamples(int rate) {
        return rate == 16_000 ? 512 : 256;
    }

    private static float[] probabilities(SpeechFixture fixture) {
        return probabilities(fixture.windows(windowSamples(fixture.sampleRate())), fixture.sampleRate());
    }

    private static float[] probabilities(List<short[]> windows, int rate) {
        try (VadSession session = service.openSession(rate)) {
            return run(session, windows);
        }
    }

    private static float[] run(VadSession session, List<short[]> windows) {
        float[] p = new float[windows.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = session.speechProbability(windows.get(k));
        }
        return p;
    }

    private static List<short[]> reversed(List<short[]> windows) {
        List<short[]> out = new ArrayList<>(windows.size());
        for (int k = windows.size() - 1; k >= 0; k--) {
            short[] w = windows.get(k);
            short[] r = new short[w.length];
            for (int i = 0; i < w.length; i++) {
                r[i] = w[w.length - 1 - i];
            }
            out.add(r);
        }
        return out;
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
