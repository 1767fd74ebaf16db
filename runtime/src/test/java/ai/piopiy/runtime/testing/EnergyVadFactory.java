package ai.piopiy.runtime.testing;

import ai.piopiy.runtime.vad.EnergyVadService;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.VadProviderFactory;
import ai.piopiy.spi.vad.VadService;

/** VAD {@code energy}: the engine's built-in {@link EnergyVadService} as a provider. */
public final class EnergyVadFactory implements VadProviderFactory {

    @Override
    public String id() {
        return "energy";
    }

    @Override
    public VadService create(ProviderConfig config, ProviderContext context) {
        return new EnergyVadService();
    }
}
