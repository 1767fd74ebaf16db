package ai.piopiy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CapturingLoggerTest {

    @Test
    void keepsEveryLevelWithTheWholeCauseChain() {
        CapturingLogger logger = new CapturingLogger("provider");
        logger.debug("opened {} for call {}", "socket", "c-1");
        logger.warn("reconnecting", new IllegalStateException("closed", new IOException("reset by peer")));

        assertThat(logger.lines()).containsExactly(
                "DEBUG opened socket for call c-1",
                "WARN reconnecting | java.lang.IllegalStateException: closed | java.io.IOException: reset by peer");
        assertThat(logger.contains("reset by peer")).isTrue();
    }

    @Test
    void aLoggedSecretFailsWithoutShowingIt() {
        CapturingLogger logger = new CapturingLogger("provider");
        logger.info("connected");
        logger.assertNeverLogged("sk-secret-1");

        logger.error("upgrade refused", new IOException("401 for token sk-secret-1"));
        assertThatThrownBy(() -> logger.assertNeverLogged("other", "sk-secret-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("401 for token ****")
                .hasMessageNotContaining("sk-secret-1");
    }

    @Test
    void awaitsALineLoggedByAnotherThread() throws Exception {
        CapturingLogger logger = new CapturingLogger("provider");
        Thread.ofVirtual().start(() -> logger.info("context ended early"));
        logger.awaitLine("ended early");
    }

    @Test
    void theContextHandsItsCapturingLoggerToTheProvider() {
        try (RecordingProviderContext context = new RecordingProviderContext("provider")) {
            context.logger().info("hello");
            assertThat(context.logger().lines()).containsExactly("INFO hello");
        }
    }
}
