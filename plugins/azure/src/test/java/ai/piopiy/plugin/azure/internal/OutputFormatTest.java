package ai.piopiy.plugin.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputFormatTest {

    @Test
    void theSessionsRateWhenOfferedElseTheNextHigherElseTheHighest() {
        assertThat(OutputFormat.forSessionRate(8_000)).isEqualTo(new OutputFormat("raw-8khz-16bit-mono-pcm", 8_000));
        assertThat(OutputFormat.forSessionRate(16_000)).isEqualTo(new OutputFormat("raw-16khz-16bit-mono-pcm", 16_000));
        assertThat(OutputFormat.forSessionRate(22_050)).isEqualTo(new OutputFormat("raw-22050hz-16bit-mono-pcm", 22_050));
        assertThat(OutputFormat.forSessionRate(24_000)).isEqualTo(new OutputFormat("raw-24khz-16bit-mono-pcm", 24_000));
        assertThat(OutputFormat.forSessionRate(48_000)).isEqualTo(new OutputFormat("raw-48khz-16bit-mono-pcm", 48_000));
        assertThat(OutputFormat.forSessionRate(11_025).sampleRate()).isEqualTo(16_000);
        assertThat(OutputFormat.forSessionRate(32_000).header()).isEqualTo("raw-44100hz-16bit-mono-pcm");
        assertThat(OutputFormat.forSessionRate(96_000).header()).isEqualTo("raw-48khz-16bit-mono-pcm");
    }
}
