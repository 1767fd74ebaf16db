package ai.piopiy.plugin.llmhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<String> read(String stream) throws IOException {
        List<String> out = new ArrayList<>();
        new SseReader(new Buffer().writeUtf8(stream)).read((event, data) -> {
            out.add(event + "|" + data);
            return false;
        });
        return out;
    }

    @Test
    void acceptsEveryLineEndAndStripsOneSpace() throws IOException {
        assertThat(read("data: a\n\ndata: b\r\n\r\ndata:c\r\rdata:  d\n\n"))
                .containsExactly("message|a", "message|b", "message|c", "message| d");
    }

    @Test
    void joinsDataLinesKeepsEventNamesAndSkipsComments() throws IOException {
        assertThat(read(": hello\nevent: ping\ndata: {\"type\": \"ping\"}\n\ndata: x\ndata: y\nid: 7\nretry: 10\n\n"))
                .containsExactly("ping|{\"type\": \"ping\"}", "message|x\ny");
    }

    @Test
    void dropsAnUnterminatedLastEventAndBlankEvents() throws IOException {
        assertThat(read("event: a\n\ndata: done\n\ndata: partial")).containsExactly("message|done");
    }

    @Test
    void stopsWhenTheHandlerSaysSo() throws IOException {
        List<String> seen = new ArrayList<>();
        boolean stopped = new SseReader(new Buffer().writeUtf8("data: 1\n\ndata: [DONE]\n\ndata: 3\n\n"))
                .read((event, data) -> {
                    seen.add(data);
                    return data.equals("[DONE]");
                });
        assertThat(stopped).isTrue();
        assertThat(seen).containsExactly("1", "[DONE]");
    }

    @Test
    void refusesAnEndlessLine() {
        Buffer huge = new Buffer();
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 5; i++) {
            huge.write(chunk);
        }
        assertThatThrownBy(() -> new SseReader(huge).read((e, d) -> false))
                .isInstanceOf(SseReader.SseFormatException.class)
                .hasMessageContaining("longer than");
    }
}
