package ai.piopiy.plugin.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UspTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123Z");

    @Test
    void idsAreThirtyTwoHexDigitsWithoutDashes() {
        assertThat(Usp.newId()).matches("[0-9a-f]{32}").isNotEqualTo(Usp.newId());
    }

    @Test
    void aTextMessageIsCrlfHeadersABlankLineAndTheBody() {
        assertThat(Usp.text("speech.context", "6f1c0e4b2a9d4e0c9b7a1f2e3d4c5b6a", NOW, "{}")).isEqualTo(
                "Path: speech.context\r\nX-RequestId: 6f1c0e4b2a9d4e0c9b7a1f2e3d4c5b6a\r\nX-Timestamp: 2026-11-25T10:00:00.123Z\r\n"
                        + "Content-Type: application/json\r\n\r\n{}");
    }

    @Test
    void aBinaryMessageStartsWithItsBigEndianHeaderLength() {
        Usp.AudioFramer framer = new Usp.AudioFramer("6f1c0e4b2a9d4e0c9b7a1f2e3d4c5b6a");
        byte[] pcm = {9, 8, 7, 6};
        byte[] message = framer.next(NOW.toEpochMilli(), pcm, 1, 2);
        int headerLength = (message[0] & 0xff) << 8 | message[1] & 0xff;
        assertThat(new String(message, 2, headerLength, StandardCharsets.US_ASCII)).isEqualTo(
                "Path: audio\r\nX-RequestId: 6f1c0e4b2a9d4e0c9b7a1f2e3d4c5b6a\r\nX-Timestamp: 2026-11-25T10:00:00.123Z\r\n");
        assertThat(Usp.audioOffset(message)).isEqualTo(2 + headerLength);
        assertThat(message).hasSize(2 + headerLength + 2).endsWith(8, 7);

        byte[] later = framer.next(NOW.toEpochMilli() + 61_007, new byte[0], 0, 0);
        assertThat(new String(later, 2, Usp.audioOffset(later) - 2, StandardCharsets.US_ASCII))
                .as("the timestamp follows the clock, the end of audio has no body")
                .endsWith("X-Timestamp: 2026-11-25T10:01:01.130Z\r\n").hasSize(later.length - 2);
        byte[] first = framer.first(NOW.toEpochMilli(), Usp.wavHeader(16_000));
        assertThat(new String(first, 2, Usp.audioOffset(first) - 2, StandardCharsets.US_ASCII))
                .endsWith("X-Timestamp: 2026-11-25T10:00:00.123Z\r\nContent-Type: audio/x-wav\r\n");
        assertThat(first.length - Usp.audioOffset(first)).isEqualTo(Usp.WAV_HEADER_BYTES);
    }

    @Test
    void theWavHeaderDescribesPcm16MonoAtTheRate() {
        byte[] h = Usp.wavHeader(8_000);
        assertThat(new String(h, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(h, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(new String(h, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(h[24] & 0xff | (h[25] & 0xff) << 8).isEqualTo(8_000);
        assertThat(h[28] & 0xff | (h[29] & 0xff) << 8).isEqualTo(16_000);
        assertThat(h[34]).isEqualTo((byte) 16);
    }

    @Test
    void parsesServerMessagesWithAnyHeaderOrderCaseAndLineEnd() {
        Usp.Message phrase = Usp.parse("X-RequestId: abc\r\ncontent-type: application/json\r\npath: speech.phrase\r\n\r\n{\"a\":1}");
        assertThat(phrase).isEqualTo(new Usp.Message("speech.phrase", "abc", "{\"a\":1}"));
        assertThat(Usp.parse("Path: turn.end\nX-RequestId: abc\n\n")).isEqualTo(new Usp.Message("turn.end", "abc", ""));
        assertThat(Usp.parse("Path: turn.end\r\nX-RequestId: abc\r\n")).isEqualTo(new Usp.Message("turn.end", "abc", ""));
        assertThat(Usp.parse("Path: turn.start\r\n\r\n{}")).isEqualTo(new Usp.Message("turn.start", "", "{}"));
    }

    @Test
    void rejectsMessagesWithoutHeadersOrPath() {
        assertThatThrownBy(() -> Usp.parse("hello")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a colon");
        assertThatThrownBy(() -> Usp.parse("X-RequestId: abc\r\n\r\n{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Path header");
        assertThatThrownBy(() -> Usp.parse("Path:\r\n\r\n{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Path header");
    }
}
