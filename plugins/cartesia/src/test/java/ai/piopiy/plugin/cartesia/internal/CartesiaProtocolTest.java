package ai.piopiy.plugin.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.plugin.cartesia.CartesiaTtsConfig;
import ai.piopiy.plugin.cartesia.internal.CartesiaProtocol.ServerFrame;
import ai.piopiy.spi.provider.Secret;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CartesiaProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSpeedOtherThanTheDefaultGoesIntoGenerationConfig() throws Exception {
        CartesiaProtocol protocol = new CartesiaProtocol(CartesiaTtsConfig.of(Secret.of("k")).withSpeed(1.25).withModel("sonic-3.5"), 24_000);
        assertThat(JSON.readTree(protocol.generation("c-1", "Quick. ", true))).isEqualTo(JSON.readTree("""
                {"model_id":"sonic-3.5","transcript":"Quick. ","voice":{"mode":"id","id":"a0e99841-438c-4a64-b679-ae501e7d6091"},
                 "language":"en","context_id":"c-1","output_format":{"container":"raw","encoding":"pcm_s16le","sample_rate":24000},
                 "add_timestamps":true,"continue":true,"max_buffer_delay_ms":0,"generation_config":{"speed":1.25}}"""));
    }

    @Test
    void readsTheErrorShapeOfVersionsBefore2026() throws Exception {
        ServerFrame frame = CartesiaProtocol.parse("""
                {"type":"error","context_id":"c-1","status_code":400,"done":true,
                 "error":"Invalid model: The model is not valid, make sure it is a valid model ID."}""");
        assertThat(frame.type()).isEqualTo("error");
        assertThat(frame.contextId()).isEqualTo("c-1");
        assertThat(frame.error()).isEqualTo("Invalid model: The model is not valid, make sure it is a valid model ID. (status 400)");
    }

    @Test
    void ignoresUnknownFieldsAndNulls() throws Exception {
        ServerFrame frame = CartesiaProtocol.parse("""
                {"type":"chunk","context_id":"c-1","data":"AAEC","extra":{"nested":[1,2,{"x":null}]},"flush_id":null}""");
        assertThat(frame.audio()).containsExactly(0, 1, 2);
        assertThat(frame.error()).isNull();
    }

    @Test
    void rejectsWhatIsNotAnObject() {
        assertThatThrownBy(() -> CartesiaProtocol.parse("[1,2]")).isInstanceOf(IOException.class).hasMessage("expected a JSON object");
        assertThatThrownBy(() -> CartesiaProtocol.parse("{\"data\":\"%%%\"}")).isInstanceOf(IOException.class);
    }

    @Test
    void picksTheRateToAskCartesiaFor() {
        assertThat(CartesiaSession.cartesiaRate(8_000)).isEqualTo(8_000);
        assertThat(CartesiaSession.cartesiaRate(12_000)).isEqualTo(16_000);
        assertThat(CartesiaSession.cartesiaRate(22_050)).isEqualTo(22_050);
        assertThat(CartesiaSession.cartesiaRate(32_000)).isEqualTo(44_100);
        assertThat(CartesiaSession.cartesiaRate(96_000)).isEqualTo(48_000);
    }
}
