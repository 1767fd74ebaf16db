package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.Service;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A service of the pipeline as created from its {@link ServiceSpec}: one service, or named alternatives. */
public sealed interface ServiceChoice<S extends Service> {

    /** Every service this choice holds, for closing. */
    Collection<S> all();

    record One<S extends Service>(S service) implements ServiceChoice<S> {
        public One {
            requireNonNull(service, "service is null");
        }

        @Override
        public Collection<S> all() {
            return List.of(service);
        }
    }

    /** Alternatives a call can switch between; each call starts with {@code defaultName}. */
    record Alternatives<S extends Service>(Map<String, S> services, String defaultName) implements ServiceChoice<S> {
        public Alternatives {
            services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
            requireNonNull(defaultName, "defaultName is null");
            if (!services.containsKey(defaultName)) {
                throw new IllegalArgumentException("default " + defaultName + " is not among " + services.keySet());
            }
        }

        @Override
        public Collection<S> all() {
            return services.values();
        }
    }
}
