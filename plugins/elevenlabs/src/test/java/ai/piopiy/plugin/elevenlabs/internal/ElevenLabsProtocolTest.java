package ai.piopiy.plugin.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.elevenlabs.ElevenLabsTtsConfig;
import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol.ServerFrame;
import ai.piopiy.spi.provider.Secret;
import ai.piopiy.spi.tts.WordTimestamp;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElevenLabsProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFirstMessageCarriesEveryVoiceSettingGiven() throws Exception {
        ElevenLabsTtsConfig config = new ElevenLabsTtsConfig(Secret.of("k"), "wss://api.elevenlabs.io", "v", "m", Optional.of("en"),
                Optional.of(0.5), Optional.of(0.8), Optional.of(0.1), Optional.of(true), 1.1, List.of(120, 160, 250, 290), true, 180);
        ElevenLabsProtocol protocol = new ElevenLabsProtocol(config);
        assertThat(JSON.readTree(protocol.beginning())).isEqualTo(JSON.readTree("""
                {"text":" ","voice_settings":{"stability":0.5,"similarity_boost":0.8,"style":0.1,"use_speaker_boost":true,"speed":1.1},
                 "generation_config":{"chunk_length_schedule":[120,160,250,290]}}"""));
        assertThat(protocol.url(OutputFormat.ULAW_8000).toString())
                .isEqualTo("https://api.elevenlabs.io/v1/text-to-speech/v/stream-input?model_id=m&output_format=ulaw_8000&sync_alignment=true&language_code=en&auto_mode=true&inactivity_timeout=180");
        assertThat(new ElevenLabsProtocol(ElevenLabsTtsConfig.of(Secret.of("k"))).beginning()).isEqualTo("{\"text\":\" \"}");
    }

    @Test
    void theVoiceIdIsOnePathSegment() {
        ElevenLabsProtocol protocol = new ElevenLabsProtocol(ElevenLabsTtsConfig.of(Secret.of("k")).withVoiceId("a/b?c"));
        assertThat(protocol.url(OutputFormat.forSessionRate(16_000)).encodedPath()).isEqualTo("/v1/text-to-speech/a%2Fb%3Fc/stream-input");
    }

    @Test
    void choosesTheOutputFormatForASessionRate() {
        assertThat(OutputFormat.forSessionRate(8_000)).isEqualTo(OutputFormat.ULAW_8000);
        assertThat(OutputFormat.forSessionRate(16_000).wireName()).isEqualTo("pcm_16000");
        assertThat(OutputFormat.forSessionRate(22_050).wireName()).isEqualTo("pcm_22050");
        assertThat(OutputFormat.forSessionRate(24_000).wireName()).isEqualTo("pcm_24000");
        assertThat(OutputFormat.forSessionRate(32_000).wireName()).isEqualTo("pcm_44100");
        assertThat(OutputFormat.forSessionRate(48_000)).isEqualTo(new OutputFormat("pcm_44100", 44_100, false));
    }

    @Test
    void readsTheDocsMisspelledDurationsAndFallsBackToNormalizedAlignment() throws Exception {
        ServerFrame frame = ElevenLabsProtocol.parse("""
                {"audio":null,"isFinal":null,"alignment":null,
                 "normalizedAlignment":{"chars":["h","i"],"charStartTimesMs":[0,60],"charsDurationsMs":[60,50]}}""");
        assertThat(frame.audio()).isNull();
        assertThat(frame.alignment().chars()).containsExactly("h", "i");
        assertThat(frame.alignment().durationMs()).containsExactly(60, 50);
        assertThat(new WordAligner().add(frame.alignment(), 1000).isEmpty()).isTrue();
    }

    @Test
    void readsTheSchemasSnakeCaseAlignment() throws Exception {
        ServerFrame frame = ElevenLabsProtocol.parse("""
                {"audio":"","alignment":{"chars":["o","k"],"char_start_times_ms":[0,40],"chars_durations_ms":[40,60]}}""");
        assertThat(frame.alignment().startMs()).containsExactly(0, 40);
        assertThat(frame.alignment().durationMs()).containsExactly(40, 60);
    }

    @Test
    void ignoresUnknownFramesAndFields() throws Exception {
        ServerFrame frame = ElevenLabsProtocol.parse("""
                {"type":"flush_done","context_id":"c","status_code":206,"done":false,"data":"","flush_done":true}""");
        assertThat(frame.audio()).isNull();
        assertThat(frame.isFinal()).isFalse();
        assertThat(frame.error()).isNull();
        assertThat(frame.message()).isNull();
    }

    @Test
    void rejectsWhatIsNotAnObject() {
        assertThatThrownBy(() -> ElevenLabsProtocol.parse("\"audio\"")).isInstanceOf(IOException.class).hasMessage("expected a JSON object");
    }

    @Test
    void aWordSplitAcrossChunksIsTimedFromItsFirstToItsLastCharacter() throws Exception {
        WordAligner aligner = new WordAligner();
        ServerFrame first = ElevenLabsProtocol.parse("""
                {"alignment":{"chars":["o","k"," ","w","o"],"charStartTimesMs":[0,100,200,300,400],"charDurationsMs":[100,100,100,100,100]}}""");
        ServerFrame second = ElevenLabsProtocol.parse("""
                {"alignment":{"chars":["r","d"],"charStartTimesMs":[0,100],"charDurationsMs":[100,150]}}""");
        assertThat(aligner.add(first.alignment(), 0)).containsExactly(new WordTimestamp("ok", 0.0, 0.2));
        assertThat(aligner.add(second.alignment(), 500)).isEmpty();
        assertThat(aligner.finish()).containsExactly(new WordTimestamp("word", 0.3, 0.75));
        assertThat(aligner.finish()).isEmpty();
    }
}
