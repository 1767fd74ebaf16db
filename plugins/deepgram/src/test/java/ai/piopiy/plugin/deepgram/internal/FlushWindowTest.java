package ai.piopiy.plugin.deepgram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlushWindowTest {

    @Test
    void sentenceFlushesStopShortOfTheLimitAndEndsAlwaysGo() {
        FlushWindow window = new FlushWindow();
        int allowed = 0;
        while (window.trySentence(0)) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(FlushWindow.LIMIT - FlushWindow.RESERVED_FOR_ENDS);
        window.end(1);
        assertThat(window.trySentence(2)).isFalse();
        // a minute after the first ones they no longer count
        assertThat(window.trySentence(FlushWindow.WINDOW_NANOS)).isTrue();
    }
}
