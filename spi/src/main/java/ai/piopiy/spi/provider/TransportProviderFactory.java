package ai.piopiy.spi.provider;

import ai.piopiy.spi.transport.TransportService;

/** A factory of {@link TransportService}s. */
public interface TransportProviderFactory extends ProviderFactory {

    @Override
    default ProviderKind kind() {
        return ProviderKind.TRANSPORT;
    }

    @Override
    TransportService create(ProviderConfig config, ProviderContext context);
}
