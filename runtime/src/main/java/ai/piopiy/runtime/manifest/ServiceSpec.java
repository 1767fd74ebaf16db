package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ProviderKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the manifest asks for one service of a call: one provider, or named alternatives to switch between. */
public sealed interface ServiceSpec {

    ProviderKind kind();

    /** Where in the manifest this is ({@code pipeline.tts}). */
    String path();

    /**
     * One provider and its settings.
     *
     * @param provider the provider id ({@code deepgram})
     * @param settings every other key of the object, JSON-shaped (String, Number, Boolean, List, Map),
     *     after environment substitution; the provider validates them
     */
    record ProviderSpec(ProviderKind kind, String path, String provider, Map<String, Object> settings)
            implements ServiceSpec {
        public ProviderSpec {
            requireNonNull(kind, "kind is null");
            requireNonNull(path, "path is null");
            requireNonNull(provider, "provider is null");
            // JSON null values are kept (a provider treats them as absent), so no Map.copyOf
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    /**
     * Named alternatives a call can switch between (Python's {@code ServiceSwitcher}); each call
     * starts with {@code defaultService}.
     */
    record SwitchSpec(ProviderKind kind, String path, String defaultService, Map<String, ProviderSpec> services)
            implements ServiceSpec {
        public SwitchSpec {
            requireNonNull(kind, "kind is null");
            requireNonNull(path, "path is null");
            requireNonNull(defaultService, "defaultService is null");
            services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
            if (!services.containsKey(defaultService)) {
                throw new IllegalArgumentException("default " + defaultService + " is not among " + services.keySet());
            }
        }
    }
}
