package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.LiveKey;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Talks to Google for real, only when {@code GOOGLE_APPLICATION_CREDENTIALS} names a service-account
 * key file (else skipped, with the reason printed): speaks a sentence, then transcribes that audio.
 */
class GoogleLiveSmokeTest {

    @Test
    void speaksASentenceAndRecognisesItAgain() throws Exception {
        String keyFile = LiveKey.require("GOOGLE_APPLICATION_CREDENTIALS");
        String keyJson = Files.readString(Path.of(keyFile));
        Map<String, String> env = Map.of("GOOGLE_APPLICATION_CREDENTIALS", keyFile);
        try (RecordingProviderContext context = new RecordingProviderContext("google", env)) {
            // the default voice is a Chirp 3 HD one: this goes through StreamingSynthesize
            GoogleTtsService tts = new GoogleTtsService(GoogleTtsProviderFactory.config(ProviderConfig.of("pipeline.tts", Map.of(), env)), context);
            TtsEvents spoken = new TtsEvents();
            byte[] audio;
            try {
                TtsUtterance utterance = tts.openSession(AudioFormat.PCM16_16K, "live").startUtterance(spoken);
                utterance.sendText("The weather in Chennai is sunny today.");
                utterance.finish();
                audio = TtsEvents.audioOf(spoken.recorder.until(e -> e == TtsEvents.DONE
                        || e instanceof ServiceException, Duration.ofSeconds(30)));
            } finally {
                tts.close();
            }
            assertThat(audio.length).as("seconds of speech").isGreaterThan(AudioFormat.PCM16_16K.bytesPer(1_000));

            GoogleSttService stt = new GoogleSttService(GoogleSttProviderFactory.config(
                    ProviderConfig.of("pipeline.stt", Map.of(), env)), context);
            SttEvents heard = new SttEvents();
            try {
                SttStream stream = stt.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "live"), heard);
                int frame = AudioFormat.PCM16_16K.bytesPer(20);
                for (int at = 0; at + frame <= audio.length; at += frame) {
                    stream.sendAudio(audio, at, frame);
                    Thread.sleep(20);
                }
                byte[] silence = new byte[frame];
                for (int i = 0; i < 50; i++) {
                    stream.sendAudio(silence, 0, frame);
                    Thread.sleep(20);
                }
                stream.userStoppedSpeaking();
                stream.close();
                Transcript last = null;
                while (last == null || !last.isFinal()) {
                    Object event = heard.recorder.next(Duration.ofSeconds(15));
                    assertThat(event).isNotInstanceOf(ServiceException.class);
                    if (event instanceof Transcript t) {
                        last = t;
                    }
                }
                assertThat(last.text().toLowerCase()).contains("chennai");
            } finally {
                stt.close();
            }
            context.logger().assertNeverLogged(keyJson.substring(keyJson.indexOf("PRIVATE KEY") + 40,
                    keyJson.indexOf("PRIVATE KEY") + 80));
        }
    }
}
