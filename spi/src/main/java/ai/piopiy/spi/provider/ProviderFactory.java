package ai.piopiy.spi.provider;

import ai.piopiy.spi.Service;
import java.util.Set;

/**
 * Makes a provider's service from its configuration. One factory per provider; the runtime finds
 * factories with {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/ai.piopiy.spi.provider.ProviderFactory}), on the classpath or inside a
 * plugin, and picks one by {@link #id()} when a manifest names it.
 *
 * <p>Implement one of the typed sub-interfaces ({@link SttProviderFactory}, {@link LlmProviderFactory},
 * {@link TtsProviderFactory}, {@link VadProviderFactory}, {@link TransportProviderFactory}).
 * A factory needs a public no-argument constructor and must be cheap to construct: heavy set-up
 * belongs in {@link #create}.
 */
public interface ProviderFactory {

    /** The stable lowercase id a manifest uses ({@code deepgram}, {@code openai}); unique across plugins. */
    String id();

    ProviderKind kind();

    /** One line for {@code piopiy plugins}. */
    default String description() {
        return id();
    }

    /** Config keys whose values are secrets; the runtime never logs them. */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /**
     * Makes the service. Reads its settings from {@code config} (which reports unknown, missing and
     * mistyped keys with their JSON path) and shared resources from {@code context}.
     *
     * @throws ConfigException when a setting is missing or wrong
     */
    Service create(ProviderConfig config, ProviderContext context);
}
