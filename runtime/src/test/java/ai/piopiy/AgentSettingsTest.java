package ai.piopiy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private static final CreateSession NOTHING = (agentId, callId, from, to, metadata) -> {};

    @Test
    void settingsAreCheckedWhenTheyAreGiven() {
        assertThatThrownBy(() -> Agent.builder("a", "t", NOTHING).signalingUrl("ftp://x"))
                .hasMessage("signalingUrl must be an http or https URL: ftp://x");
        assertThatThrownBy(() -> Agent.builder("a", "t", NOTHING).signalingUrl("https://bad host"))
                .hasMessage("signalingUrl is not a URL: https://bad host");
        assertThatThrownBy(() -> Agent.builder("a", "t", NOTHING).maxConcurrentCalls(0))
                .hasMessage("maxConcurrentCalls must be at least 1: 0");
        assertThatThrownBy(() -> Agent.builder("a", " ", NOTHING)).hasMessage("agentToken is blank");
        assertThatThrownBy(() -> Agent.builder(null, "t", NOTHING)).hasMessage("agentId is null");
        assertThatThrownBy(() -> Agent.builder("a", "t", NOTHING).reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("reconnect delay max PT1S is below min PT2S");
        assertThatThrownBy(() -> Agent.builder("a", "t", NOTHING).stopTimeout(Duration.ZERO))
                .hasMessage("stopTimeout must be positive: PT0S");
    }

    @Test
    void theConstructorTakesThePythonParametersAndDefaultsTheUrl() {
        Agent agent = new Agent("agent-1", "t", NOTHING, null, true);

        assertThat(agent.signalingUrl()).isEqualTo("https://signaling.piopiy.com");
        assertThat(agent.agentId()).isEqualTo("agent-1");
        assertThat(agent.isConnected()).isFalse();
        assertThat(agent.activeCalls()).isZero();
        assertThat(agent.toString()).doesNotContain("\"t\"").isEqualTo("Agent[agent-1 at https://signaling.piopiy.com]");
    }

    @Test
    void anAgentShutDownBeforeItStartedCannotStart() {
        Agent agent = new Agent("agent-1", "t", NOTHING, "http://127.0.0.1:9", false);
        agent.shutdown();

        assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the agent was started before; make a new Agent");
        assertThat(Agent.acceptCall()).isFalse();
    }
}
