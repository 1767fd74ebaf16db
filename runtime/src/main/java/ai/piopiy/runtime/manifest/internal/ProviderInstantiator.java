package ai.piopiy.runtime.manifest.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.manifest.ManifestError;
import ai.piopiy.runtime.manifest.ServiceSpec.ProviderSpec;
import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RegisteredProvider;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.runtime.plugin.internal.PluginDirectoryLoader;
import ai.piopiy.spi.Service;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Creates a provider's service from its manifest spec, turning everything that can go wrong into
 * {@link ManifestError}s: an unknown provider id (listing the ids the loaded plugins offer), a
 * missing or mistyped setting (the provider's {@link ConfigException}), settings the provider did
 * not read (unknown), and a provider that fails to start.
 */
public final class ProviderInstantiator {

    private final ProviderRegistry registry;
    private final RuntimeProviderContext context;

    public ProviderInstantiator(ProviderRegistry registry, RuntimeProviderContext context) {
        this.registry = requireNonNull(registry, "registry is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** The service, or empty after adding to {@code errors} why not. */
    public Optional<Service> create(ProviderSpec spec, List<ManifestError> errors) {
        String kind = spec.kind().key();
        Optional<RegisteredProvider> found = registry.find(spec.kind(), spec.provider());
        if (found.isEmpty()) {
            errors.add(new ManifestError(spec.path() + ".provider", unknownProvider(spec)));
            return Optional.empty();
        }
        RegisteredProvider provider = found.get();
        ProviderConfig config = ProviderConfig.of(spec.path(), spec.settings(), context.environment());
        Service service;
        try {
            service = provider.create(config, context.forProvider(provider.id()));
        } catch (ConfigException e) {
            errors.add(new ManifestError(e.path(), e.problem()));
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            errors.add(new ManifestError(spec.path(), kind + " provider '" + provider.id() + "' failed to start: "
                    + PluginDirectoryLoader.describe(e)));
            return Optional.empty();
        }
        List<String> unread = config.unreadPaths();
        if (!unread.isEmpty()) {
            for (String path : unread) {
                errors.add(new ManifestError(path, "unknown setting of " + kind + " provider '" + provider.id() + "'"));
            }
            service.close();
            return Optional.empty();
        }
        return Optional.of(service);
    }

    /**
     * Creates every spec's service at the same time, each on its own thread, so that loading a model
     * (a VAD, a local recogniser) overlaps with setting up the other clients; start-up then takes as
     * long as the slowest provider, not their sum. Errors are added in the specs' order, as if the
     * services had been created one after the other.
     *
     * @return the services created, by spec (identity)
     */
    public Map<ProviderSpec, Service> createAll(List<ProviderSpec> specs, List<ManifestError> errors) {
        Map<ProviderSpec, Service> created = new IdentityHashMap<>();
        if (specs.size() == 1) {
            create(specs.getFirst(), errors).ifPresent(service -> created.put(specs.getFirst(), service));
            return created;
        }
        record Outcome(Optional<Service> service, List<ManifestError> errors) {}
        List<Future<Outcome>> outcomes = new ArrayList<>(specs.size());
        // platform threads: a provider may sit in native code (ONNX Runtime, a recogniser) while it loads
        try (ExecutorService starters = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("piopiy-provider-start-", 0).daemon().factory())) {
            for (ProviderSpec spec : specs) {
                outcomes.add(starters.submit(() -> {
                    List<ManifestError> own = new ArrayList<>(1);
                    return new Outcome(create(spec, own), own);
                }));
            }
        }
        Throwable unexpected = null;
        for (int i = 0; i < specs.size(); i++) {
            try {
                Outcome outcome = outcomes.get(i).get();
                errors.addAll(outcome.errors());
                ProviderSpec spec = specs.get(i);
                outcome.service().ifPresent(service -> created.put(spec, service));
            } catch (ExecutionException e) {
                unexpected = unexpected == null ? e.getCause() : unexpected;
            } catch (InterruptedException e) {
                // the executor's close already waited for every task: only a late interrupt lands here
                Thread.currentThread().interrupt();
            }
        }
        if (unexpected != null) {
            created.values().forEach(Service::close);
            switch (unexpected) {
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException(unexpected);
            }
        }
        return created;
    }

    private String unknownProvider(ProviderSpec spec) {
        String kind = spec.kind().key();
        SortedSet<String> ids = registry.ids(spec.kind());
        if (ids.isEmpty()) {
            return "unknown " + kind + " provider '" + spec.provider() + "'; no " + kind + " provider is loaded "
                    + "(add a plugin offering one to " + registry.loadReport().pluginsDir() + ")";
        }
        String hint = Suggestions.closest(spec.provider(), ids).map(s -> "did you mean " + s + "? ").orElse("");
        return "unknown " + kind + " provider '" + spec.provider() + "'; " + hint + "the loaded plugins offer: "
                + String.join(", ", ids);
    }
}
