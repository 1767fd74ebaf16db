package ai.piopiy.plugin.llmhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void doublesUpToTheCapWithAtMostAQuarterOfJitter() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.maxRetries()).isEqualTo(2);
        assertThat(p.backoff(0, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoff(1, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(1, 1)).isEqualTo(Duration.ofMillis(750));
        assertThat(p.backoff(10, 0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.backoff(60, 0)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void rejectsNegativeSettings() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
