package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

/**
 * A parsed manifest: who the agent is on the Piopiy platform, what each call runs, and how calls
 * reach it. Immutable; made by {@link ManifestParser} and turned into services and per-call agents
 * by {@link CallAssembler}.
 */
public record AgentManifest(AgentSettings agent, PipelineSpec pipeline, ServiceSpec.ProviderSpec transport) {

    public AgentManifest {
        requireNonNull(agent, "agent is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(transport, "transport is null");
    }
}
