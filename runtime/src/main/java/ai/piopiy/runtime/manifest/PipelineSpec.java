package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.vad.VadParams;
import java.util.List;
import java.util.Optional;

/**
 * What every call runs: the conversation's start, the services, interruptions, guards and tools.
 *
 * @param instructions the LLM's system prompt
 * @param greeting what the bot says when the caller joins; empty for nothing
 * @param vad the voice-activity provider; empty to rely on the STT service's own turn detection
 * @param vadParams the speaking/quiet state machine's settings, used with a VAD
 */
public record PipelineSpec(String instructions, String greeting, List<LlmMessage> initialMessages,
                           ServiceSpec stt, ServiceSpec llm, ServiceSpec tts,
                           Optional<ServiceSpec.ProviderSpec> vad, VadParams vadParams,
                           InterruptionSpec interruptions, GuardSpec guards, List<ToolSpec> tools) {

    public PipelineSpec {
        requireNonNull(instructions, "instructions is null");
        requireNonNull(greeting, "greeting is null");
        initialMessages = List.copyOf(initialMessages);
        requireNonNull(stt, "stt is null");
        requireNonNull(llm, "llm is null");
        requireNonNull(tts, "tts is null");
        requireNonNull(vad, "vad is null");
        requireNonNull(vadParams, "vadParams is null");
        requireNonNull(interruptions, "interruptions is null");
        requireNonNull(guards, "guards is null");
        tools = List.copyOf(tools);
    }
}
