package ai.piopiy.runtime.plugin;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.plugin.LoadReport.LoadFailure;
import ai.piopiy.runtime.plugin.LoadReport.ProviderInfo;
import ai.piopiy.runtime.plugin.internal.PluginDirectoryLoader;
import ai.piopiy.runtime.plugin.internal.SpiVersion;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;

/**
 * The providers this runtime can use: those on the application class path, then those of every
 * plugin in the plugins directory, by kind and id. The first provider found for a kind and id wins
 * (the class path before plugins, plugins in file-name order) and every later one is reported as a
 * duplicate in the {@link #loadReport()}.
 *
 * <p>{@link #load} loads every plugin; {@link #loadOnDemand} loads a plugin that declares its providers
 * in plugin.properties only when one of them is looked up, which is how {@code piopiy run} starts with
 * many plugins installed and few used.
 *
 * <p>Closing the registry unloads the plugins; services created from them must be closed first.
 */
public final class ProviderRegistry implements AutoCloseable {

    /** The plugins directory when none is configured: {@code plugins/} next to the runtime's {@code lib/}. */
    public static final String DEFAULT_PLUGINS_DIR = "plugins";

    /**
     * {@code -Dpiopiy.providers.classpath=false}: the class path holds no providers, so a registry does not
     * look there. Looking opens every jar on it (the class loader has to ask each one), some 20 ms of
     * start-up; {@code bin/piopiy} knows its class path is the runtime's own jars, whose providers all come
     * from plugins/. {@link #findOnClasspath} still looks when asked.
     */
    public static final String CLASSPATH_PROVIDERS_PROPERTY = "piopiy.providers.classpath";

    private final Map<ProviderKind, Map<String, RegisteredProvider>> byKind = new EnumMap<>(ProviderKind.class);
    private final Path pluginsDir;
    private final String spiVersion;
    private final List<ProviderInfo> fromClasspath;
    /** Duplicates found while registering; the plugins' own failures are the loader's. */
    private final List<LoadFailure> duplicates = new ArrayList<>();
    private final List<LoadFailure> classpathFailures = new ArrayList<>();
    /** Every provider registered once, by identity: plugins loaded on demand are handed out repeatedly. */
    private final Set<RegisteredProvider> registered = Collections.newSetFromMap(new IdentityHashMap<>());
    private final PluginDirectoryLoader plugins;

    private ProviderRegistry(Path pluginsDir, ClassLoader classpath, String spiVersion, boolean onDemand) {
        for (ProviderKind kind : ProviderKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        this.pluginsDir = pluginsDir;
        this.spiVersion = spiVersion;
        List<RegisteredProvider> classpathProviders = "false".equals(System.getProperty(CLASSPATH_PROVIDERS_PROPERTY))
                ? List.of()
                : classpathProviders(classpath, classpathFailures);
        this.fromClasspath = classpathProviders.stream().map(RegisteredProvider::info).toList();
        this.plugins = onDemand
                ? PluginDirectoryLoader.scan(pluginsDir, spiVersion, classpath)
                : PluginDirectoryLoader.load(pluginsDir, spiVersion, classpath);
        register(classpathProviders);
        register(plugins.providers());
    }

    /** Adds {@code providers} (guarded by this). */
    private void register(List<RegisteredProvider> providers) {
        for (RegisteredProvider provider : providers) {
            if (!registered.add(provider)) {
                continue;
            }
            RegisteredProvider first = byKind.get(provider.kind()).putIfAbsent(provider.id(), provider);
            if (first != null) {
                duplicates.add(new LoadFailure(provider.origin(), provider.kind().key() + " provider '" + provider.id()
                        + "' is ignored: " + describeOrigin(first) + " already offers it; remove one of the two"));
            }
        }
    }

    /** Loads the class path's providers (through this class's loader) and the plugins of {@code pluginsDir}. */
    public static ProviderRegistry load(Path pluginsDir) {
        return load(pluginsDir, ProviderRegistry.class.getClassLoader());
    }

    /**
     * Loads the class path's providers and those plugins of {@code pluginsDir} that do not declare their
     * providers; a plugin that does is loaded when {@link #find} first asks for one of them. Until then
     * the {@link #loadReport()} does not list it, and {@link #ids} names its declared providers.
     */
    public static ProviderRegistry loadOnDemand(Path pluginsDir) {
        requireNonNull(pluginsDir, "pluginsDir is null");
        return new ProviderRegistry(pluginsDir, ProviderRegistry.class.getClassLoader(), SpiVersion.current(), true);
    }

    /**
     * @param classpath where class-path providers are looked up, and where plugins get the SPI,
     *     slf4j and PF4J from
     */
    public static ProviderRegistry load(Path pluginsDir, ClassLoader classpath) {
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(classpath, "classpath is null");
        return new ProviderRegistry(pluginsDir, classpath, SpiVersion.current(), false);
    }

    /**
     * The provider of {@code kind} with {@code id} on the class path alone, without reading a plugins
     * directory: for code that embeds the runtime as a library (a {@code VoiceAgent} finding the call's
     * room transport). Class-path providers that fail to load are logged at WARN (there is no load
     * report to read here) and left out.
     */
    public static Optional<RegisteredProvider> findOnClasspath(ProviderKind kind, String id, ClassLoader classpath) {
        requireNonNull(kind, "kind is null");
        requireNonNull(id, "id is null");
        requireNonNull(classpath, "classpath is null");
        List<LoadFailure> failures = new ArrayList<>();
        Optional<RegisteredProvider> found = classpathProviders(classpath, failures).stream()
                .filter(provider -> provider.kind() == kind && provider.id().equals(id))
                .findFirst();
        failures.forEach(failure -> LoggerFactory.getLogger(ProviderRegistry.class).warn("{}", failure));
        return found;
    }

    /** The provider of {@code kind} with {@code id}, if one loaded (loading the plugin that declares it). */
    public Optional<RegisteredProvider> find(ProviderKind kind, String id) {
        requireNonNull(kind, "kind is null");
        requireNonNull(id, "id is null");
        synchronized (this) {
            RegisteredProvider found = byKind.get(kind).get(id);
            if (found != null) {
                return Optional.of(found);
            }
        }
        // outside the lock: services created in parallel load their plugins in parallel
        List<RegisteredProvider> loaded = plugins.loadDeclaring(kind, id);
        synchronized (this) {
            register(loaded);
            return Optional.ofNullable(byKind.get(kind).get(id));
        }
    }

    /** The ids of the providers of {@code kind}, loaded or declared by a plugin not loaded yet, sorted. */
    public synchronized SortedSet<String> ids(ProviderKind kind) {
        requireNonNull(kind, "kind is null");
        SortedSet<String> ids = new TreeSet<>(byKind.get(kind).keySet());
        ids.addAll(plugins.pendingIds().getOrDefault(kind, Set.of()));
        return ids;
    }

    /** All usable providers, by kind then id (loading every plugin not loaded yet). */
    public List<RegisteredProvider> providers() {
        List<RegisteredProvider> loaded = plugins.loadPending();
        synchronized (this) {
            register(loaded);
            return byKind.values().stream().map(Map::values).flatMap(Collection::stream).toList();
        }
    }

    /** What has loaded so far and what failed. */
    public synchronized LoadReport loadReport() {
        List<LoadFailure> failures = new ArrayList<>(classpathFailures);
        failures.addAll(plugins.failures());
        failures.addAll(duplicates);
        return new LoadReport(pluginsDir, spiVersion, plugins.plugins(), fromClasspath, failures);
    }

    @Override
    public void close() {
        plugins.close();
    }

    private static String describeOrigin(RegisteredProvider provider) {
        return RegisteredProvider.CLASSPATH.equals(provider.origin())
                ? "the class path" : "plugin '" + provider.origin() + "'";
    }

    private static List<RegisteredProvider> classpathProviders(ClassLoader classpath, List<LoadFailure> failures) {
        List<RegisteredProvider> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<ProviderFactory>> it =
                ServiceLoader.load(ProviderFactory.class, classpath).stream().iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(RegisteredProvider.fromClasspath(it.next().get()));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures.add(new LoadFailure(RegisteredProvider.CLASSPATH, "a provider could not be created: "
                        + PluginDirectoryLoader.describe(e)));
            }
        }
        return found;
    }
}
