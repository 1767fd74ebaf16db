package ai.piopiy.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.manifest.ServiceSpec.ProviderSpec;
import ai.piopiy.runtime.manifest.ServiceSpec.SwitchSpec;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.vad.VadParams;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    @Test
    void parsesEveryPartOfTheManifest() {
        AgentManifest m = ManifestParser.parse("agent.json", TestManifests.FULL, TestManifests.ENV);

        assertThat(m.agent().id()).isEqualTo("agent-7");
        assertThat(m.agent().token().reveal()).isEqualTo("tok-secret-123");
        assertThat(m.agent().token()).hasToString("****");
        assertThat(m.agent().signalingUrl()).isEqualTo(URI.create("https://signaling.example.com"));
        assertThat(m.agent().maxConcurrentCalls()).isEqualTo(4);

        PipelineSpec p = m.pipeline();
        assertThat(p.instructions()).isEqualTo("You are a helpful agent. Prices are in ${CURRENCY}.");
        assertThat(p.greeting()).isEqualTo("Hello!");
        assertThat(p.initialMessages()).containsExactly(LlmMessage.user("Hi"), LlmMessage.assistant("Hello, how can I help?"));
        assertThat(p.stt()).isEqualTo(new ProviderSpec(ProviderKind.STT, "pipeline.stt", "scripted",
                Map.of("transcripts", List.of("hello there"), "ms_per_word", 100)));
        assertThat(p.llm()).isEqualTo(new ProviderSpec(ProviderKind.LLM, "pipeline.llm", "echo", Map.of("prefix", "Echo: ")));
        assertThat(p.tts()).isEqualTo(new SwitchSpec(ProviderKind.TTS, "pipeline.tts", "english", Map.of(
                "english", new ProviderSpec(ProviderKind.TTS, "pipeline.tts.switch.services.english", "tone",
                        Map.of("frequency_hz", 440)),
                "spanish", new ProviderSpec(ProviderKind.TTS, "pipeline.tts.switch.services.spanish", "tone",
                        Map.of("frequency_hz", 523.25)))));
        assertThat(p.vad()).contains(new ProviderSpec(ProviderKind.VAD, "pipeline.vad", "energy", Map.of()));
        assertThat(p.vadParams()).isEqualTo(new VadParams(0.6, 0.06, 0.3, 0.6));
        assertThat(p.interruptions()).isEqualTo(new InterruptionSpec(true,
                Optional.of(new InterruptionSpec.MinWords(2, Set.of("uh-huh", "okay")))));
        assertThat(p.guards()).isEqualTo(new GuardSpec(Duration.ofSeconds(30), Duration.ofMinutes(10), Optional.of("Bye now.")));
        assertThat(p.tools()).containsExactly(
                new ToolSpec("current_time", "The time now",
                        "{\"type\":\"object\",\"properties\":{\"time_zone\":{\"type\":\"string\"}}}",
                        Optional.of("current_time"), Optional.empty()),
                new ToolSpec("set_language", "Speaks another language from now on", "{\"type\":\"object\",\"properties\":{}}",
                        Optional.of("switch_tts"), Optional.of(Duration.ofSeconds(2))));
        assertThat(m.transport()).isEqualTo(new ProviderSpec(ProviderKind.TRANSPORT, "transport", "loopback",
                Map.of("sample_rate", 16000)));
    }

    @Test
    void defaultsAreThoseDocumented() {
        AgentManifest m = ManifestParser.parse("minimal.json", """
                {"agent": {"id": "a", "token": "t"},
                 "pipeline": {"instructions": "Be brief.", "stt": {"provider": "scripted"}, "llm": {"provider": "echo"},
                              "tts": {"provider": "tone"}},
                 "transport": {"provider": "loopback"}}
                """, Map.of());
        assertThat(m.agent().signalingUrl()).isEqualTo(URI.create("https://signaling.piopiy.com"));
        assertThat(m.agent().maxConcurrentCalls()).isEqualTo(10);
        assertThat(m.pipeline().greeting()).isEmpty();
        assertThat(m.pipeline().initialMessages()).isEmpty();
        assertThat(m.pipeline().vad()).isEmpty();
        assertThat(m.pipeline().vadParams()).isEqualTo(new VadParams(0.7, 0.2, 0.8, 0.6));
        assertThat(m.pipeline().interruptions()).isEqualTo(new InterruptionSpec(false, Optional.empty()));
        assertThat(m.pipeline().guards()).isEqualTo(new GuardSpec(Duration.ofSeconds(60), Duration.ofMinutes(30), Optional.empty()));
        assertThat(m.pipeline().tools()).isEmpty();
    }

    @Test
    void aMinWordsStrategyWithoutBackchannelsUsesTheEnginesList() {
        String json = TestManifests.FULL.replace(", \"backchannels\": [\"Uh-huh\", \"okay\"]", "");
        AgentManifest m = ManifestParser.parse("m.json", json, TestManifests.ENV);
        assertThat(m.pipeline().interruptions().strategy()).contains(
                new InterruptionSpec.MinWords(2, MinWordsInterruptionStrategy.DEFAULT_BACKCHANNELS));
    }

    @Test
    void aSwitchHandlerNeedsThatServiceToBeASwitch() {
        String json = TestManifests.FULL.replace("\"handler\": \"switch_tts\"", "\"handler\": \"switch_llm\"");
        assertThatThrownBy(() -> ManifestParser.parse("m.json", json, TestManifests.ENV))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors()).map(ManifestError::toString)
                        .containsExactly("pipeline.tools[1].handler: switch_llm switches between the alternatives of "
                                + "pipeline.llm, which is not a switch"));
    }

    @Test
    void everyStructuralErrorIsReportedTogetherWithItsPath() {
        String broken = """
                {
                  "agent": {"id": 42, "signaling_url": "ftp://x", "max_concurrent_calls": 0, "region": "eu"},
                  "pipeline": {
                    "gretting": "Hi",
                    "initial_messages": [{"role": "robot", "content": "beep"}, "hello"],
                    "stt": {"provider": "scripted"},
                    "llm": {"model": "gpt"},
                    "tts": {"switch": {"default": "french", "services": {"english": {"provider": "tone"}}}},
                    "vad_params": {"confidence": 1.5},
                    "interruptions": {"allowed": "sometimes", "strategy": {"type": "min_letters"}},
                    "guards": {"idle_timeout_seconds": -1},
                    "tools": [{"name": "say hi", "description": "x"}, {"description": 3, "handler": "launch_rocket"}]
                  },
                  "transport": {"provider": "${TRANSPORT}"}
                }
                """;
        assertThatThrownBy(() -> ManifestParser.parse("broken.json", broken, Map.of()))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors()).map(ManifestError::toString)
                        .containsExactly(
                                "transport.provider: environment variable TRANSPORT is not set (write ${TRANSPORT:-default} to give a default)",
                                "agent.id: expected a string but got a number 42",
                                "agent.token: missing; expected a string",
                                "agent.signaling_url: expected an http(s) URL but got \"ftp://x\"",
                                "agent.max_concurrent_calls: expected an integer within 1..100000, got 0",
                                "agent.region: unknown field; expected one of: id, token, signaling_url, max_concurrent_calls",
                                "pipeline.instructions: missing; expected a string",
                                "pipeline.initial_messages[0].role: expected one of system, user, assistant but got \"robot\"",
                                "pipeline.initial_messages[1]: expected an object but got the string \"hello\"",
                                "pipeline.llm.provider: missing; expected a string",
                                "pipeline.tts.switch.default: \"french\" is not one of the services: english",
                                "pipeline.vad_params.confidence: expected a number within 0..1, got 1.5",
                                "pipeline.vad_params: given without pipeline.vad; add a VAD provider or remove vad_params",
                                "pipeline.interruptions.allowed: expected a boolean but got the string \"sometimes\"",
                                "pipeline.interruptions.strategy.type: expected min_words or min_duration but got \"min_letters\"",
                                "pipeline.guards.idle_timeout_seconds: expected a number within 0..86400, got -1",
                                "pipeline.tools[0].name: expected 1 to 64 letters, digits, '_' or '-' but got \"say hi\"",
                                "pipeline.tools[1].name: missing; expected a string",
                                "pipeline.tools[1].description: expected a string but got a number 3",
                                "pipeline.tools[1].handler: unknown built-in handler \"launch_rocket\"; built-ins: current_time, "
                                        + "switch_llm, switch_stt, switch_tts (leave handler out to bind one in code)",
                                "pipeline.gretting: unknown field; did you mean greeting? expected one of: instructions, greeting, "
                                        + "initial_messages, stt, llm, tts, vad, vad_params, interruptions, guards, tools"));
    }

    @Test
    void notJsonIsReportedWithLineAndColumn() {
        assertThatThrownBy(() -> ManifestParser.parse("bad.json", "{\n  \"agent\": {\"id\": \"a\",}\n}", Map.of()))
                .isInstanceOf(ManifestException.class)
                .hasMessage("""
                        bad.json has 1 error:
                          not valid JSON: line 2, column 23: Unexpected character ('}' (code 125)): was expecting \
                        double-quote to start field name""");
        assertThatThrownBy(() -> ManifestParser.parse("dup.json", "{\"agent\": {}, \"agent\": {}}", Map.of()))
                .hasMessageContaining("not valid JSON: line 1, column 22: Duplicate field 'agent'");
        assertThatThrownBy(() -> ManifestParser.parse("list.json", "[]", Map.of()))
                .hasMessage("list.json has 1 error:\n  expected an object but got a list");
    }

    @Test
    void aSubstitutedValueCannotChangeTheStructure() {
        AgentManifest m = ManifestParser.parse("m.json", TestManifests.FULL, Map.of("AGENT_ID", "\", \"token\": \"stolen", "AGENT_TOKEN", "t"));
        assertThat(m.agent().id()).isEqualTo("\", \"token\": \"stolen");
        assertThat(m.agent().token().reveal()).isEqualTo("t");
    }

    @Test
    void aSwitchCannotBeMixedWithAProvider() {
        String json = TestManifests.FULL.replace("\"tts\": {\"switch\"", "\"tts\": {\"provider\": \"tone\", \"switch\"");
        assertThatThrownBy(() -> ManifestParser.parse("m.json", json, TestManifests.ENV))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors()).map(ManifestError::toString)
                        .containsExactly("pipeline.tts.switch: a service is either {\"provider\": ...} or {\"switch\": ...}; "
                                + "move the other fields into the switch's services"));
    }
}
