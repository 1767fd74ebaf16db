package ai.piopiy.spi.provider;

import ai.piopiy.spi.vad.VadService;

/** A factory of {@link VadService}s. */
public interface VadProviderFactory extends ProviderFactory {

    @Override
    default ProviderKind kind() {
        return ProviderKind.VAD;
    }

    @Override
    VadService create(ProviderConfig config, ProviderContext context);
}
