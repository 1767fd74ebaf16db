package ai.piopiy.plugin.azure;

import static ai.piopiy.plugin.ttswebsocket.testing.TestAudio.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Event;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Failed;
import ai.piopiy.plugin.ttswebsocket.testing.PcmBodies;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.RecordingProviderContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** azure-tts against a local server speaking the synthesis REST API with raw PCM bodies. */
class AzureTtsServiceTest {

    private static final String KEY = "az-tts-key-71b0c3e9d4";

    private final MockWebServer server = new MockWebServer();
    private final RecordingProviderContext context = new RecordingProviderContext("azure-tts");
    private final RecordingTtsListener listener = new RecordingTtsListener();
    private AzureTtsService service;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        service = service(AzureTtsConfig.of(account(KEY)));
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
        context.close();
        context.logger().assertNeverLogged(KEY);
    }

    private AzureSpeechAccount account(String key) {
        return AzureSpeechAccount.of(Secret.of(key, "AZURE_SPEECH_KEY"), "eastus").withEndpoint(server.url("/cognitiveservices/v1").toString());
    }

    private AzureTtsService service(AzureTtsConfig config) {
        if (service != null) {
            service.close();
        }
        return new AzureTtsService(config, context);
    }

    /** The audio up to the terminal event; a failure is thrown. */
    private byte[] audioUntilDone() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Event e = listener.next(); !(e instanceof Done); e = listener.next()) {
            switch (e) {
                case Audio a -> out.writeBytes(a.pcm());
                case Failed f -> throw f.error();
                default -> throw new AssertionError("unexpected " + e);
            }
        }
        return out.toByteArray();
    }

    private static Element voice(RecordedRequest request) throws Exception {
        Document ssml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(request.getBody().toByteArray()));
        Element speak = ssml.getDocumentElement();
        assertThat(speak.getTagName()).isEqualTo("speak");
        assertThat(speak.getAttribute("version")).isEqualTo("1.0");
        assertThat(speak.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2001/10/synthesis");
        return (Element) speak.getElementsByTagName("voice").item(0);
    }

    @Test
    void speaksEachSentenceAsItsOwnRequestInOrderStreamingTheAudio() throws Exception {
        byte[] first = pattern(1, 9001);
        byte[] second = pattern(2, 4800);
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(Arrays.copyOfRange(first, 0, 1001), Arrays.copyOfRange(first, 1001, 1004),
                Arrays.copyOfRange(first, 1004, 9000))));
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(second)));

        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText("Your table is booked.");
        utterance.sendText("Anything else?");
        utterance.finish();
        byte[] audio = audioUntilDone();

        assertThat(audio).as("byte-exact, in order, at the session's own rate")
                .isEqualTo(concat(Arrays.copyOf(first, 9000), second));
        RecordedRequest one = server.takeRequest();
        assertThat(one.getMethod()).isEqualTo("POST");
        assertThat(one.getUrl().encodedPath()).isEqualTo("/cognitiveservices/v1");
        assertThat(one.getHeaders().get("Ocp-Apim-Subscription-Key")).isEqualTo(KEY);
        assertThat(one.getHeaders().get("X-Microsoft-OutputFormat")).isEqualTo("raw-16khz-16bit-mono-pcm");
        assertThat(one.getHeaders().get("Content-Type")).startsWith("application/ssml+xml");
        assertThat(one.getHeaders().get("User-Agent")).isEqualTo(AzureTtsService.USER_AGENT);
        Element voice = voice(one);
        assertThat(voice.getAttribute("name")).isEqualTo("en-US-SaraNeural");
        assertThat(voice.getParentNode().getAttributes().getNamedItem("xml:lang").getNodeValue()).isEqualTo("en-US");
        assertThat(voice.getTextContent().strip()).isEqualTo("Your table is booked.");
        assertThat(voice.getElementsByTagName("prosody").getLength()).as("speed 1.0 adds no prosody").isZero();
        assertThat(voice(server.takeRequest()).getTextContent().strip()).isEqualTo("Anything else?");

        assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class)
                .contains(new Metric.TtsCharacters("azure-tts", "Your table is booked.".length() + "Anything else?".length()));
    }

    @Test
    void xmlSpecialsInTheTextAreEscaped() throws Exception {
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(pattern(1, 320))));
        String text = "Tom & Jerry <3 > \"quotes\" and 'apostrophes' </voice><voice name='evil'>";
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText(text + "\u0001");
        utterance.finish();
        audioUntilDone();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getBody().utf8()).contains("Tom &amp; Jerry &lt;3 &gt; &quot;quotes&quot; and &apos;apostrophes&apos;");
        Element voice = voice(request);
        assertThat(voice.getAttribute("name")).isEqualTo("en-US-SaraNeural");
        assertThat(voice.getTextContent().strip()).as("the parsed text is the text sent").isEqualTo(text);
    }

    @Test
    void voiceLanguageAndSpeedShapeTheSsml() throws Exception {
        service = service(AzureTtsConfig.of(account(KEY)).withVoice("de-DE-KatjaNeural").withLanguage("de-DE").withSpeed(1.25));
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(pattern(1, 320))));
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_24K, "call-1").startUtterance(listener);
        utterance.sendText("Guten Tag.");
        utterance.finish();
        audioUntilDone();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("X-Microsoft-OutputFormat")).isEqualTo("raw-24khz-16bit-mono-pcm");
        Element voice = voice(request);
        assertThat(voice.getAttribute("name")).isEqualTo("de-DE-KatjaNeural");
        assertThat(voice.getParentNode().getAttributes().getNamedItem("xml:lang").getNodeValue()).isEqualTo("de-DE");
        Element prosody = (Element) voice.getElementsByTagName("prosody").item(0);
        assertThat(prosody.getAttribute("rate")).isEqualTo("1.25");
        assertThat(prosody.getTextContent().strip()).isEqualTo("Guten Tag.");
    }

    @Test
    void aRateAzureDoesNotOfferIsAskedAtTheNextHigherOneAndResampled() throws Exception {
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(new byte[44_100], new byte[44_100]))); // 1 s at 44.1 kHz
        TtsUtterance utterance = service.openSession(AudioFormat.pcm16(32_000), "call-1").startUtterance(listener);
        utterance.sendText("One second.");
        utterance.finish();
        byte[] audio = audioUntilDone();
        assertThat(server.takeRequest().getHeaders().get("X-Microsoft-OutputFormat")).isEqualTo("raw-44100hz-16bit-mono-pcm");
        assertThat(audio.length).as("about 1 s at 32 kHz").isBetween(2 * 31_900, 2 * 32_000);
    }

    @Test
    void cancelClosesTheConnectionDropsPendingSentencesAndSilencesTheListener() throws Exception {
        PcmBodies.Endless endless = new PcmBodies.Endless("audio/x-wav");
        server.enqueue(endless.response());
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(pattern(3, 100))));
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText("A long first sentence.");
        utterance.sendText("Never spoken.");
        utterance.finish();
        listener.next(Audio.class);

        utterance.cancel();
        int delivered = listener.received();
        utterance.cancel();

        assertThat(endless.clientClosed().await(5, TimeUnit.SECONDS)).as("the server saw the client close the body").isTrue();
        Thread.sleep(150);
        assertThat(listener.received()).isEqualTo(delivered);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void closingTheSessionCancelsItsUtterance() throws Exception {
        PcmBodies.Endless endless = new PcmBodies.Endless("audio/x-wav");
        server.enqueue(endless.response());
        TtsSession session = service.openSession(AudioFormat.PCM16_16K, "call-1");
        session.startUtterance(listener).sendText("Hello.");
        listener.next(Audio.class);
        session.close();
        assertThat(endless.clientClosed().await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aRejectedKeyIsAFatalErrorThatNamesItsSourceButNotTheKey() throws Exception {
        String wrong = "wrong-tts-key-99af";
        service = service(AzureTtsConfig.of(account(wrong)));
        server.enqueue(new MockResponse.Builder().code(401)
                .body("{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key or wrong API endpoint.\"}}").build());
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText("Hello.");
        utterance.sendText("Not requested after the failure.");
        utterance.finish();
        ServiceException error = listener.next(Failed.class).error();
        assertThat(error.fatal()).isTrue();
        assertThat(error.getMessage()).contains("HTTP 401", "invalid subscription key", "AZURE_SPEECH_KEY").doesNotContain(wrong);
        listener.assertQuiet(150);
        assertThat(server.getRequestCount()).isEqualTo(1);
        context.logger().assertNeverLogged(wrong);
    }

    @Test
    void aBadRequestOrAThrottleIsAnErrorThatLetsTheCallGoOn() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400).body("Unsupported voice xx-XX-NobodyNeural.").build());
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText("Hello.");
        utterance.finish();
        ServiceException error = listener.next(Failed.class).error();
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).contains("HTTP 400", "Unsupported voice", "check the voice and language");

        server.enqueue(new MockResponse.Builder().code(429).build());
        RecordingTtsListener second = new RecordingTtsListener();
        TtsUtterance next = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(second);
        next.sendText("Again.");
        next.finish();
        assertThat(second.next(Failed.class).error().getMessage()).contains("HTTP 429", "quota");
    }

    @Test
    void aConnectionDroppedMidBodyIsAnError() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body(new String(new char[20_000]).replace('\0', 'a'))
                .onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build());
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText("Hello.");
        utterance.finish();
        Event event;
        do {
            event = listener.next();
        } while (event instanceof Audio);
        assertThat(event).isInstanceOf(Failed.class);
        ServiceException error = ((Failed) event).error();
        assertThat(error.fatal()).isFalse();
        assertThat(error.getMessage()).contains("failed while speaking").doesNotContain(KEY);
    }

    @Test
    void aServiceMadeFromCodeWithoutTheRuntimeSpeaks() throws Exception {
        server.enqueue(PcmBodies.chunked("audio/x-wav", List.of(pattern(5, 640))));
        try (AzureTtsService standalone = new AzureTtsService(AzureTtsConfig.of(account(KEY)))) {
            TtsUtterance utterance = standalone.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
            utterance.sendText("From code.");
            utterance.finish();
            assertThat(audioUntilDone()).isEqualTo(pattern(5, 640));
        }
    }

    @Test
    void anUtteranceWithoutWordsIsDoneWithoutARequest() throws Exception {
        TtsUtterance utterance = service.openSession(AudioFormat.PCM16_16K, "call-1").startUtterance(listener);
        utterance.sendText("  ");
        utterance.finish();
        listener.next(Done.class);
        assertThat(server.getRequestCount()).isZero();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
