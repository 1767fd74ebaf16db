package ai.piopiy.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.azure.internal.AzureSttStream;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Event;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Failed;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Talks to the real Azure Speech when AZURE_SPEECH_KEY (and AZURE_SPEECH_REGION) are set; skipped, with
 * the reason printed, otherwise. The TTS answer is fed back to the STT, so the pair checks each other.
 */
class AzureLiveSmokeTest {

    @Test
    void speaksASentenceAndRecognisesItAgain() throws Exception {
        String key = LiveKey.require(AzureSpeechAccount.API_KEY_ENV);
        LiveKey.require(AzureSpeechAccount.REGION_ENV);
        AudioFormat format = AudioFormat.PCM16_16K;
        try (RecordingProviderContext context = new RecordingProviderContext("azure", System.getenv());
                AzureTtsService tts = new AzureTtsProviderFactory().create(ProviderConfig.of("pipeline.tts", Map.of(), System.getenv()), context);
                AzureSttService stt = new AzureSttProviderFactory().create(ProviderConfig.of("pipeline.stt", Map.of(), System.getenv()), context)) {
            byte[] speech = speak(tts, format, "Please book a table for two at seven.");
            assertThat(speech.length).as("over half a second of audio").isGreaterThan(format.bytesPer(500));

            List<String> finals = new CopyOnWriteArrayList<>();
            List<ServiceException> errors = new CopyOnWriteArrayList<>();
            SttListener listener = new SttListener() {
                @Override
                public void onTranscript(Transcript transcript) {
                    if (transcript.isFinal()) {
                        finals.add(transcript.text());
                    }
                }

                @Override
                public void onError(ServiceException error) {
                    errors.add(error);
                }
            };
            AzureSttStream stream = (AzureSttStream) stt.openStream(new SttStreamSpec(format, "live-smoke"), listener);
            int frame = format.bytesPer(20);
            byte[] silence = new byte[format.bytesPer(1000)];
            for (byte[] audio : List.of(speech, silence)) {
                for (int at = 0; at < audio.length; at += frame) {
                    stream.sendAudio(audio, at, Math.min(frame, audio.length - at));
                    Thread.sleep(20);
                }
            }
            stream.userStoppedSpeaking();
            stream.close();
            stream.finished().get(15, TimeUnit.SECONDS);

            assertThat(errors).isEmpty();
            assertThat(String.join(" ", finals).toLowerCase()).contains("table");
            context.logger().assertNeverLogged(key);
        }
    }

    /** The whole answer's audio; a provider error is thrown. */
    private static byte[] speak(AzureTtsService tts, AudioFormat format, String text) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TtsSession session = tts.openSession(format, "live-smoke")) {
            RecordingTtsListener listener = new RecordingTtsListener();
            TtsUtterance utterance = session.startUtterance(listener);
            utterance.sendText(text);
            utterance.finish();
            for (Event e = listener.next(); !(e instanceof Done); e = listener.next()) {
                switch (e) {
                    case Audio a -> out.writeBytes(a.pcm());
                    case Failed f -> throw f.error();
                    default -> throw new AssertionError("unexpected " + e);
                }
            }
        }
        return out.toByteArray();
    }
}
