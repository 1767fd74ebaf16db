package ai.piopiy.plugin.ttswebsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Audio;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Done;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Failed;
import ai.piopiy.plugin.ttswebsocket.testing.RecordingTtsListener.Words;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.Resampler;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.WordTimestamp;
import ai.piopiy.testing.RecordingProviderContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingTtsUtteranceTest {

    private final RecordingProviderContext context = new RecordingProviderContext("tts-websocket");
    private final ServiceResources resources = ServiceResources.of("fake", "Fake", Secret.of("k"),
            new WebSocketClient("fake", Duration.ZERO, Duration.ofSeconds(1)), context);
    private final RecordingTtsListener listener = new RecordingTtsListener();

    @AfterEach
    void tearDown() {
        resources.close();
        context.close();
    }

    /** Records what the state machine asks of the wire. */
    private final class WireUtterance extends StreamingTtsUtterance {

        final List<String> wire = new ArrayList<>();

        WireUtterance(Resampler resampler) {
            super(resources, listener, resampler);
        }

        @Override
        protected void sendPiece(String piece, boolean first) {
            wire.add((first ? "first:" : "piece:") + piece);
        }

        @Override
        protected void sendEnd() {
            wire.add("end");
        }

        @Override
        protected void sendCancel(boolean textSent) {
            wire.add("cancel:" + textSent);
        }

        @Override
        protected void finishEmpty() {
            wire.add("empty");
        }

        @Override
        protected void onEnded() {
            wire.add("ended");
        }
    }

    @Test
    void piecesEndInWhitespaceAndTheEndFollowsTheLast() {
        WireUtterance utterance = new WireUtterance(null);
        utterance.sendText("One.");
        utterance.sendText("");
        utterance.sendText("Two. ");
        utterance.sendText("Three.\n");
        utterance.finish();
        utterance.finish();
        assertThat(utterance.wire).containsExactly("first:One. ", "piece:Two. ", "piece:Three.\n", "end");
        assertThatThrownBy(() -> utterance.sendText("Four.")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void audioIsResampledAndTheFirstChunkIsTheTimeToFirstByte() throws Exception {
        WireUtterance utterance = new WireUtterance(new Resampler(16_000, 8_000));
        utterance.sendText("Hi.");
        byte[] chunk = new byte[640];
        utterance.deliverAudio(chunk);
        utterance.deliverAudio(new byte[0]);
        utterance.deliverAudio(chunk);
        utterance.deliverWords(List.of(new WordTimestamp("Hi.", 0, 0.2)));
        utterance.deliverWords(List.of());
        utterance.complete();
        utterance.complete();
        utterance.fail(new ServiceException("fake", "too late"));
        assertThat(listener.next(Audio.class).pcm()).hasSize(320);
        assertThat(listener.next(Audio.class).pcm()).hasSize(320);
        assertThat(listener.next(Words.class).words()).hasSize(1);
        listener.next(Done.class);
        listener.assertQuiet(50);
        assertThat(utterance.samplesReceived()).isEqualTo(640);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TimeToFirstByte.class::isInstance).hasSize(1);
        assertThat(context.recordedMetrics()).filteredOn(Metric.TtsCharacters.class::isInstance)
                .containsExactly(new Metric.TtsCharacters("fake", 3));
        assertThat(utterance.wire).containsExactly("first:Hi. ", "ended");
    }

    @Test
    void anEmptyAnswerIsDoneFromAProviderThread() throws Exception {
        CompletableFuture<Thread> doneOn = new CompletableFuture<>();
        StreamingTtsUtterance utterance = new StreamingTtsUtterance(resources, new TtsListener() {
            @Override
            public void onAudio(byte[] pcm) {}

            @Override
            public void onDone() {
                doneOn.complete(Thread.currentThread());
            }

            @Override
            public void onError(ServiceException error) {
                doneOn.completeExceptionally(error);
            }
        }, null) {
            @Override
            protected void sendPiece(String piece, boolean first) {}

            @Override
            protected void sendEnd() {}

            @Override
            protected void sendCancel(boolean textSent) {}
        };
        utterance.finish();
        assertThat(doneOn.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread())
                .satisfies(thread -> assertThat(thread.getName()).startsWith("fake-"));
        assertThat(context.recordedMetrics()).isEmpty();
    }

    @Test
    void cancelSilencesEverythingAfterIt() throws Exception {
        WireUtterance utterance = new WireUtterance(null);
        utterance.sendText("Hi.");
        utterance.cancel();
        utterance.cancel();
        utterance.deliverAudio(new byte[64]);
        utterance.complete();
        utterance.fail(new ServiceException("fake", "late"));
        utterance.finish();
        listener.assertQuiet(50);
        assertThat(utterance.wire).containsExactly("first:Hi. ", "ended", "cancel:true");
    }

    @Test
    void aFailureIsTheOnlyEnd() throws Exception {
        WireUtterance utterance = new WireUtterance(null);
        utterance.sendText("Hi.");
        utterance.fail(new ServiceException("fake", "broken"));
        utterance.complete();
        utterance.cancel();
        assertThat(listener.next(Failed.class).error().getMessage()).isEqualTo("fake: broken");
        listener.assertQuiet(50);
        assertThat(utterance.wire).containsExactly("first:Hi. ", "ended");
    }
}
