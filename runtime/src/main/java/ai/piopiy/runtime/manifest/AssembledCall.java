package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.VoiceAgent;
import ai.piopiy.spi.provider.ProviderKind;
import java.util.Map;
import java.util.Optional;

/**
 * One call as {@link CallAssembler} built it: the call's {@link VoiceAgent}, ready to
 * {@link VoiceAgent#start()}, and its service switchers (one per {@code switch} of the manifest,
 * fresh for each call, so switching one call's voice leaves the others alone).
 */
public record AssembledCall(VoiceAgent agent, Map<ProviderKind, ServiceSwitcher<?>> switchers) {

    public AssembledCall {
        requireNonNull(agent, "agent is null");
        switchers = Map.copyOf(switchers);
    }

    /** The call's switcher for {@code kind}, when the manifest made that service a {@code switch}. */
    public Optional<ServiceSwitcher<?>> switcher(ProviderKind kind) {
        return Optional.ofNullable(switchers.get(kind));
    }
}
