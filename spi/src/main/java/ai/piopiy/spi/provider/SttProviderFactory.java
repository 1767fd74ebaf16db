package ai.piopiy.spi.provider;

import ai.piopiy.spi.stt.SttService;

/** A factory of {@link SttService}s. */
public interface SttProviderFactory extends ProviderFactory {

    @Override
    default ProviderKind kind() {
        return ProviderKind.STT;
    }

    @Override
    SttService create(ProviderConfig config, ProviderContext context);
}
