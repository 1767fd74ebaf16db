package ai.piopiy.plugin.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.piopiy.plugin.llmhttp.testing.TestingProviderContext;
import ai.piopiy.plugin.openai.internal.WhisperSttStream;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsUtterance;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Speaks a sentence with the real openai-tts and transcribes it back with the real whisper, when
 * OPENAI_API_KEY is set; skipped with the reason otherwise.
 */
class OpenAiAudioLiveTest {

    @Test
    void speaksAndTranscribesASentence() throws Exception {
        String key = System.getenv("OPENAI_API_KEY");
        if (key == null || key.isBlank()) {
            System.out.println("live test skipped: OPENAI_API_KEY is not set");
        }
        assumeTrue(key != null && !key.isBlank(), "OPENAI_API_KEY is not set");
        Secret secret = Secret.of(key.trim(), "OPENAI_API_KEY");
        AudioFormat format = AudioFormat.PCM16_16K;

        try (TestingProviderContext context = new TestingProviderContext();
                OpenAiTtsService tts = new OpenAiTtsService(OpenAiTtsConfig.openai(secret), context);
                WhisperSttService stt = new WhisperSttService(WhisperSttConfig.openai(secret).withLanguage("en"), context)) {
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            CountDownLatch done = new CountDownLatch(1);
            List<String> problems = new CopyOnWriteArrayList<>();
            TtsUtterance utterance = tts.openSession(format, "live").startUtterance(new TtsListener() {
                @Override
                public synchronized void onAudio(byte[] pcm) {
                    audio.writeBytes(pcm);
                }

                @Override
                public void onDone() {
                    done.countDown();
                }

                @Override
                public void onError(ServiceException error) {
                    problems.add(error.getMessage());
                    done.countDown();
                }
            });
            utterance.sendText("I would like to book a table for two.");
            utterance.finish();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(problems).isEmpty();
            assertThat(audio.size()).isGreaterThan(format.bytesPer(1000));

            List<Transcript> transcripts = new CopyOnWriteArrayList<>();
            WhisperSttStream stream = (WhisperSttStream) stt.openStream(new SttStreamSpec(format, "live"), new SttListener() {
                @Override
                public void onTranscript(Transcript transcript) {
                    transcripts.add(transcript);
                }

                @Override
                public void onError(ServiceException error) {
                    problems.add(error.getMessage());
                }
            });
            byte[] pcm = audio.toByteArray();
            stream.userStartedSpeaking();
            stream.sendAudio(pcm, 0, pcm.length);
            stream.userStoppedSpeaking();
            stream.idle().get(30, TimeUnit.SECONDS);

            System.out.println("openai audio live: " + transcripts + " " + context.recordedMetrics());
            assertThat(problems).isEmpty();
            assertThat(transcripts).singleElement().satisfies(t -> assertThat(t.text().toLowerCase()).contains("table"));
            assertThat(context.recordedMetrics()).hasAtLeastOneElementOfType(Metric.TimeToFirstByte.class);
        }
    }
}
