package ai.piopiy.runtime.plugin;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.plugin.LoadReport.LoadFailure;
import ai.piopiy.runtime.plugin.internal.PluginDirectoryLoader;
import ai.piopiy.runtime.plugin.internal.SpiVersion;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
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
 * <p>Closing the registry unloads the plugins; services created from them must be closed first.
 */
public final class ProviderRegistry implements AutoCloseable {

    /** The plugins directory when none is configured: {@code plugins/} next to the runtime's {@code lib/}. */
    public static final String DEFAULT_PLUGINS_DIR = "plugins";

    private final Map<ProviderKind, Map<String, RegisteredProvider>> byKind = new EnumMap<>(ProviderKind.class);
    private final LoadReport report;
    private final PluginDirectoryLoader plugins;

    private ProviderRegistry(Path pluginsDir, ClassLoader classpath, String spiVersion) {
        for (ProviderKind kind : ProviderKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        List<LoadFailure> failures = new ArrayList<>();
        List<RegisteredProvider> fromClasspath = classpathProviders(classpath, failures);
        this.plugins = PluginDirectoryLoader.load(pluginsDir, spiVersion, classpath);
        failures.addAll(plugins.failures());
        List<RegisteredProvider> all = new ArrayList<>(fromClasspath);
        all.addAll(plugins.providers());
        for (RegisteredProvider provider : all) {
            RegisteredProvider first = byKind.get(provider.kind()).putIfAbsent(provider.id(), provider);
            if (first != null) {
                failures.add(new LoadFailure(provider.origin(), provider.kind().key() + " provider '" + provider.id()
                        + "' is ignored: " + describeOrigin(first) + " already offers it; remove one of the two"));
            }
        }
        this.report = new LoadReport(pluginsDir, spiVersion, plugins.plugins(),
                fromClasspath.stream().map(RegisteredProvider::info).toList(), failures);
    }

    /** Loads the class path's providers (through this class's loader) and the plugins of {@code pluginsDir}. */
    public static ProviderRegistry load(Path pluginsDir) {
        return load(pluginsDir, ProviderRegistry.class.getClassLoader());
    }

    /**
     * @param classpath where class-path providers are looked up, and where plugins get the SPI,
     *     slf4j and PF4J from
     */
    public static ProviderRegistry load(Path pluginsDir, ClassLoader classpath) {
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(classpath, "classpath is null");
        return new ProviderRegistry(pluginsDir, classpath, SpiVersion.current());
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

    /** The provider of {@code kind} with {@code id}, if one loaded. */
    public Optional<RegisteredProvider> find(ProviderKind kind, String id) {
        requireNonNull(kind, "kind is null");
        requireNonNull(id, "id is null");
        return Optional.ofNullable(byKind.get(kind).get(id));
    }

    /** The ids of the loaded providers of {@code kind}, sorted. */
    public SortedSet<String> ids(ProviderKind kind) {
        requireNonNull(kind, "kind is null");
        return new TreeSet<>(byKind.get(kind).keySet());
    }

    /** All usable providers, by kind then id. */
    public List<RegisteredProvider> providers() {
        return byKind.values().stream().map(Map::values).flatMap(Collection::stream).toList();
    }

    public LoadReport loadReport() {
        return report;
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
