package ai.piopiy.runtime.plugin.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.plugin.LoadReport.LoadFailure;
import ai.piopiy.runtime.plugin.LoadReport.LoadedPlugin;
import ai.piopiy.runtime.plugin.RegisteredProvider;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.util.FileUtils;

/**
 * Loads every plugin of a plugins directory, each in its own {@link IsolatingPluginClassLoader},
 * and finds its provider factories with {@link ServiceLoader}. Whatever is wrong with one plugin
 * (a corrupt zip, no descriptor, a bundled SPI, an SPI version it does not accept, a provider that
 * cannot be constructed) becomes a {@link LoadFailure} with a message saying what to do, and the
 * other plugins load regardless.
 *
 * <p>A plugin is a directory holding {@code plugin.properties} and {@code lib/*.jar}, or a zip of
 * one, which is expanded next to it (PF4J's layout) when the directory is missing or older.
 *
 * <p>A plugin may declare its providers in {@code plugin.properties} ({@value #PROVIDERS_PROPERTY}{@code
 * =stt:deepgram, tts:deepgram-tts}). {@link #scan} then leaves it unloaded until one of them is asked
 * for ({@link #loadDeclaring}): a runtime started with fifteen plugins loads the four its manifest
 * uses. A plugin that declares nothing is loaded at once, as by {@link #load}.
 */
public final class PluginDirectoryLoader implements AutoCloseable {

    private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    /** The file in a zip's expansion that says which zip (size and time) it was expanded from. */
    static final String EXPANDED_MARKER = ".expanded-from-zip";
    /** The plugin.properties key listing a plugin's providers as {@code kind:id}, comma-separated. */
    public static final String PROVIDERS_PROPERTY = "piopiy.providers";
    private static final PluginProperties PLUGIN_PROPERTIES = new PluginProperties();
    private static final String SPI_MARKER = ProviderFactory.class.getName().replace('.', '/') + ".class";

    private final Path pluginsDir;
    private final PiopiyPluginManager manager;
    // plugins load in parallel when the services that need them are created in parallel
    private final List<LoadedPlugin> plugins = Collections.synchronizedList(new ArrayList<>());
    private final List<RegisteredProvider> providers = Collections.synchronizedList(new ArrayList<>());
    private final List<LoadFailure> failures = Collections.synchronizedList(new ArrayList<>());
    /** Plugins that declared their providers and are not loaded yet, in load order (guarded by this). */
    private final List<Candidate> pending = new ArrayList<>();
    /** Plugins loaded on demand, each with its providers once loaded (guarded by this). */
    private final List<OnDemand> loadedOnDemand = new ArrayList<>();

    private PluginDirectoryLoader(Path pluginsDir, String spiVersion, ClassLoader host) {
        this.pluginsDir = pluginsDir;
        this.manager = new PiopiyPluginManager(pluginsDir, spiVersion, host);
    }

    /**
     * Loads the plugins of {@code pluginsDir} (none when it does not exist).
     *
     * @param host the class loader the SPI, slf4j and PF4J come from
     */
    public static PluginDirectoryLoader load(Path pluginsDir, String spiVersion, ClassLoader host) {
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(host, "host is null");
        PluginDirectoryLoader loader = new PluginDirectoryLoader(pluginsDir, spiVersion, host);
        if (Files.isDirectory(pluginsDir)) {
            loader.loadAll(false);
        }
        return loader;
    }

    /**
     * Like {@link #load}, except that plugins declaring their providers in plugin.properties are only
     * read, not loaded; {@link #loadDeclaring} loads one when a provider it declares is needed.
     */
    public static PluginDirectoryLoader scan(Path pluginsDir, String spiVersion, ClassLoader host) {
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(host, "host is null");
        PluginDirectoryLoader loader = new PluginDirectoryLoader(pluginsDir, spiVersion, host);
        if (Files.isDirectory(pluginsDir)) {
            loader.loadAll(true);
        }
        return loader;
    }

    /** The providers declared by plugins not loaded yet, by kind. */
    public synchronized Map<ProviderKind, Set<String>> pendingIds() {
        Map<ProviderKind, Set<String>> ids = new EnumMap<>(ProviderKind.class);
        for (Candidate candidate : pending) {
            candidate.declared().forEach((kind, declared) -> ids.computeIfAbsent(kind, k -> new TreeSet<>()).addAll(declared));
        }
        return ids;
    }

    /**
     * The providers of the first plugin that declares provider {@code kind}/{@code id}, loading it unless
     * it already is (empty when no plugin declares it). Threads asking for providers of different
     * plugins load them in parallel; a thread asking for one being loaded waits for it.
     */
    public List<RegisteredProvider> loadDeclaring(ProviderKind kind, String id) {
        Candidate declaring = null;
        synchronized (this) {
            for (OnDemand loaded : loadedOnDemand) {
                if (loaded.candidate().declares(kind, id)) {
                    declaring = loaded.candidate();
                    break;
                }
            }
            for (int i = 0; declaring == null && i < pending.size(); i++) {
                if (pending.get(i).declares(kind, id)) {
                    declaring = pending.get(i);
                }
            }
        }
        return declaring == null ? List.of() : loadOnce(declaring);
    }

    /** Loads every plugin not loaded yet; returns the providers of all plugins loaded on demand. */
    public List<RegisteredProvider> loadPending() {
        List<Candidate> all = new ArrayList<>();
        synchronized (this) {
            loadedOnDemand.forEach(loaded -> all.add(loaded.candidate()));
            all.addAll(pending);
        }
        List<RegisteredProvider> found = new ArrayList<>();
        for (Candidate candidate : all) {
            found.addAll(loadOnce(candidate));
        }
        return found;
    }

    /** A plugin loaded on demand, and its providers once it has loaded. */
    private record OnDemand(Candidate candidate, CompletableFuture<List<RegisteredProvider>> providers) {}

    /** {@code candidate}'s providers: loads it when no thread has, else waits for the one that does. */
    private List<RegisteredProvider> loadOnce(Candidate candidate) {
        CompletableFuture<List<RegisteredProvider>> result = null;
        boolean load = false;
        synchronized (this) {
            for (OnDemand loaded : loadedOnDemand) {
                // identity, not equals: a record's equals is bootstrapped on first use, 30 ms at start-up
                if (loaded.candidate() == candidate) {
                    result = loaded.providers();
                    break;
                }
            }
            if (result == null) {
                pending.removeIf(waiting -> waiting == candidate);
                result = new CompletableFuture<>();
                loadedOnDemand.add(new OnDemand(candidate, result));
                load = true;
            }
        }
        if (load) {
            try {
                result.complete(loadPlugin(candidate));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                throw e;
            }
        }
        return result.join();
    }

    public List<LoadedPlugin> plugins() {
        synchronized (plugins) {
            return List.copyOf(plugins);
        }
    }

    /** The providers of all loaded plugins, in load order. */
    public List<RegisteredProvider> providers() {
        synchronized (providers) {
            return List.copyOf(providers);
        }
    }

    public List<LoadFailure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Unloads the plugins and closes their class loaders. */
    @Override
    public void close() {
        synchronized (manager) {
            manager.unloadPlugins();
        }
    }

    /** An entry of the plugins directory: a plugin directory to load, or what is wrong with it. */
    private record Candidate(String source, Path dir, String problem, PluginDescriptor descriptor,
                             Map<ProviderKind, Set<String>> declared) {
        Candidate(String source, Path dir, String problem) {
            this(source, dir, problem, null, Map.of());
        }

        /** This candidate with what its plugin.properties says. */
        Candidate described(PluginDescriptor descriptor, Map<ProviderKind, Set<String>> providers) {
            return new Candidate(source, dir, problem, descriptor, providers);
        }

        boolean declares(ProviderKind kind, String id) {
            return declared.getOrDefault(kind, Set.of()).contains(id);
        }
    }

    private void loadAll(boolean deferDeclared) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(pluginsDir)) {
            entries = list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            failures.add(new LoadFailure(pluginsDir.toString(), "cannot list the plugins directory: " + e.getMessage()));
            return;
        }
        List<Candidate> candidates = new ArrayList<>();
        Set<Path> fromZips = new HashSet<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isRegularFile(entry) && name.toLowerCase().endsWith(".zip")) {
                Path dir = entry.resolveSibling(name.substring(0, name.length() - 4));
                // a directory next to a zip is the zip's expansion, even when the zip is broken
                fromZips.add(dir);
                try {
                    expand(entry, dir);
                    candidates.add(new Candidate(name, dir, null));
                } catch (ZipException e) {
                    candidates.add(new Candidate(name, null, "not a readable zip file (" + e.getMessage()
                            + "); replace it with a complete copy of the plugin"));
                } catch (IOException e) {
                    candidates.add(new Candidate(name, null, "cannot be expanded into " + dir.getFileName() + "/ ("
                            + e + "); the plugins directory must be writable"));
                }
            } else if (Files.isRegularFile(entry) && name.toLowerCase().endsWith(".jar")) {
                candidates.add(new Candidate(name, null, "a lone jar is not a plugin: a plugin is a .zip or a directory "
                        + "with plugin.properties and lib/*.jar (or put the jar on the class path, in the runtime's lib/)"));
            }
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry) && !fromZips.contains(entry)) {
                candidates.add(new Candidate(entry.getFileName() + "/", entry, null));
            }
        }
        // file-name order: which of two duplicates wins must not depend on the file system
        candidates.sort(Comparator.comparing(Candidate::source));
        for (Candidate candidate : candidates) {
            if (candidate.problem() != null) {
                failures.add(new LoadFailure(candidate.source(), candidate.problem()));
                continue;
            }
            Optional<Candidate> described = describe(candidate);
            if (described.isEmpty()) {
                continue;
            }
            if (deferDeclared && !described.get().declared().isEmpty()) {
                pending.add(described.get());
            } else {
                loadPlugin(described.get());
            }
        }
    }

    /**
     * {@code candidate} with its descriptor and what its plugin.properties declares in {@value
     * #PROVIDERS_PROPERTY} (an empty map when nothing), or empty after reporting a plugin.properties that
     * is missing, unreadable or wrong.
     */
    private Optional<Candidate> describe(Candidate candidate) {
        Path file = candidate.dir().resolve(PropertiesPluginDescriptorFinder.DEFAULT_PROPERTIES_FILE_NAME);
        if (!Files.isRegularFile(file)) {
            failures.add(new LoadFailure(candidate.source(), "no plugin descriptor: plugin.properties is missing "
                    + "(a plugin holds plugin.properties, with plugin.id and plugin.version, and lib/*.jar)"));
            return Optional.empty();
        }
        Properties properties;
        PluginDescriptor descriptor;
        try {
            properties = PLUGIN_PROPERTIES.read(candidate.dir());
            descriptor = PLUGIN_PROPERTIES.descriptor(properties);
        } catch (PluginRuntimeException e) {
            failures.add(new LoadFailure(candidate.source(), "plugin.properties is unreadable: " + e.getMessage()));
            return Optional.empty();
        }
        String value = properties.getProperty(PROVIDERS_PROPERTY, "").trim();
        Map<ProviderKind, Set<String>> declared = new EnumMap<>(ProviderKind.class);
        if (value.isEmpty()) {
            return Optional.of(candidate.described(descriptor, declared));
        }
        for (String entry : value.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            Optional<ProviderKind> kind = Arrays.stream(ProviderKind.values())
                    .filter(k -> k.key().equals(parts[0].trim()))
                    .findFirst();
            if (parts.length != 2 || kind.isEmpty() || !PROVIDER_ID.matcher(parts[1].trim()).matches()) {
                failures.add(new LoadFailure(candidate.source(), "plugin.properties: " + PROVIDERS_PROPERTY + " entry '"
                        + entry.trim() + "' is not kind:id (kinds: " + Arrays.stream(ProviderKind.values())
                        .map(ProviderKind::key).collect(Collectors.joining(", ")) + "; for example stt:deepgram)"));
                return Optional.empty();
            }
            declared.computeIfAbsent(kind.get(), k -> new TreeSet<>()).add(parts[1].trim());
        }
        return Optional.of(candidate.described(descriptor, declared));
    }

    /** Loads one plugin; returns its providers (empty after reporting why it did not load). */
    private List<RegisteredProvider> loadPlugin(Candidate candidate) {
        String source = candidate.source();
        Path dir = candidate.dir();
        PluginDescriptor descriptor = candidate.descriptor();
        String problem = descriptorProblem(descriptor);
        if (problem == null) {
            problem = jarProblem(dir.resolve("lib"), manager.hostLibraries());
        }
        if (problem != null) {
            failures.add(new LoadFailure(source, problem));
            return List.of();
        }
        PluginWrapper plugin;
        try {
            // PF4J's manager is not thread-safe; creating the class loader is the quick part anyway
            synchronized (manager) {
                plugin = manager.load(dir);
            }
        } catch (PluginRuntimeException e) {
            failures.add(new LoadFailure(source, "PF4J cannot load the plugin: " + e.getMessage()));
            return List.of();
        }
        List<RegisteredProvider> found = discover(descriptor.getPluginId(), plugin.getPluginClassLoader());
        if (found.isEmpty()) {
            failures.add(new LoadFailure(descriptor.getPluginId(), "offers no provider: no jar in lib/ lists a loadable "
                    + "factory in META-INF/services/" + ProviderFactory.class.getName()));
            synchronized (manager) {
                manager.unload(descriptor.getPluginId());
            }
            return List.of();
        }
        checkDeclared(descriptor.getPluginId(), candidate.declared(), found);
        providers.addAll(found);
        plugins.add(new LoadedPlugin(descriptor.getPluginId(), descriptor.getVersion(),
                descriptor.getPluginDescription(), dir, found.stream().map(RegisteredProvider::info).toList()));
        return found;
    }

    /**
     * Reports a declaration that does not match what the plugin offers: a declared provider it lacks
     * could never be found, an undeclared one only when something else loads the plugin.
     */
    private void checkDeclared(String pluginId, Map<ProviderKind, Set<String>> declared, List<RegisteredProvider> found) {
        if (declared.isEmpty()) {
            return;
        }
        Set<String> offered = found.stream().map(p -> p.kind().key() + ":" + p.id()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> said = new TreeSet<>();
        declared.forEach((kind, ids) -> ids.forEach(id -> said.add(kind.key() + ":" + id)));
        if (!offered.equals(said)) {
            failures.add(new LoadFailure(pluginId, "plugin.properties declares " + PROVIDERS_PROPERTY + "=" + String.join(", ", said)
                    + " but the plugin offers " + String.join(", ", offered) + "; make the two agree"));
        }
    }

    private String descriptorProblem(PluginDescriptor descriptor) {
        String id = descriptor.getPluginId();
        if (id == null || id.isBlank()) {
            return "plugin.properties has no plugin.id";
        }
        if (descriptor.getVersion() == null || descriptor.getVersion().isBlank()) {
            return "plugin.properties has no plugin.version";
        }
        for (LoadedPlugin loaded : plugins()) {
            if (loaded.id().equals(id)) {
                return "plugin id '" + id + "' is already used by the plugin in " + loaded.path().getFileName()
                        + "; remove one of the two";
            }
        }
        String requires = descriptor.getRequires();
        try {
            // PF4J's version manager only parses: no need to wait for a plugin loading meanwhile
            if (!manager.admits(requires)) {
                return "plugin '" + id + "' requires SPI version " + requires + ", but this runtime has SPI "
                        + manager.getSystemVersion() + "; use a version of the plugin built for SPI "
                        + manager.getSystemVersion();
            }
        } catch (RuntimeException e) {
            return "plugin.requires '" + requires + "' is not a version range (write for example >=0.1.0 & <0.2.0)";
        }
        return null;
    }

    /**
     * A jar that cannot be opened, or one that bundles the SPI, or null when lib/ is fine. A jar identical
     * to one of the host's is not opened (the host's opened fine); it is the SPI only if the host's is.
     */
    private static String jarProblem(Path lib, HostLibraries host) {
        if (!Files.isDirectory(lib)) {
            return null;
        }
        List<Path> jars;
        try (Stream<Path> list = Files.list(lib)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return "cannot list lib/: " + e.getMessage();
        }
        for (Path jar : jars) {
            Optional<HostLibraries.SharedJar> shared = host.identicalTo(jar);
            if (shared.isPresent()) {
                if (shared.get().packages().contains(ProviderFactory.class.getPackageName())) {
                    return bundlesTheSpi(jar);
                }
                continue;
            }
            try {
                if (HostLibraries.hasEntry(jar, SPI_MARKER)) {
                    return bundlesTheSpi(jar);
                }
            } catch (IOException e) {
                return "lib/" + jar.getFileName() + " is not a readable jar (" + e.getMessage()
                        + "); replace it with a complete copy";
            }
        }
        return null;
    }

    private static String bundlesTheSpi(Path jar) {
        return "bundles the Piopiy SPI (lib/" + jar.getFileName() + "); the SPI comes from the runtime: "
                + "declare ai.piopiy:piopiy-spi with <scope>provided</scope> and rebuild the plugin";
    }

    private List<RegisteredProvider> discover(String pluginId, ClassLoader loader) {
        List<RegisteredProvider> found = new ArrayList<>();
        try (var _ = new ThreadContextClassLoader(loader)) {
            Iterator<ServiceLoader.Provider<ProviderFactory>> it =
                    ServiceLoader.load(ProviderFactory.class, loader).stream().iterator();
            while (true) {
                ServiceLoader.Provider<ProviderFactory> provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError | LinkageError e) {
                    // the lookup moves past the broken entry, so the next ones still load
                    failures.add(new LoadFailure(pluginId, "a provider listed in META-INF/services cannot be loaded: "
                            + describe(e)));
                    continue;
                }
                // PF4J-style loaders also see host resources: keep only what this plugin brought
                if (provider.type().getClassLoader() != loader) {
                    continue;
                }
                RegisteredProvider registered = instantiate(pluginId, loader, provider);
                if (registered != null) {
                    found.add(registered);
                }
            }
        }
        return found;
    }

    private RegisteredProvider instantiate(String pluginId, ClassLoader loader,
                                           ServiceLoader.Provider<ProviderFactory> provider) {
        String className = provider.type().getName();
        RegisteredProvider registered;
        try {
            registered = RegisteredProvider.fromPlugin(provider.get(), pluginId, loader);
        } catch (ServiceConfigurationError e) {
            failures.add(new LoadFailure(pluginId, "provider " + className + " could not be created: " + describe(e)));
            return null;
        } catch (RuntimeException | LinkageError e) {
            failures.add(new LoadFailure(pluginId, "provider " + className + " failed to describe itself: " + describe(e)));
            return null;
        }
        if (!PROVIDER_ID.matcher(registered.id()).matches()) {
            failures.add(new LoadFailure(pluginId, "provider " + className + " has the id '" + registered.id()
                    + "'; an id is lowercase letters, digits, '-', '_' and '.'"));
            return null;
        }
        return registered;
    }

    /** The innermost meaningful cause of a provider failure, as "Type: message". */
    public static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof ServiceConfigurationError || cause instanceof InvocationTargetException
                        || cause instanceof ExceptionInInitializerError)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /**
     * Expands {@code zip} into {@code dir} unless {@code dir} already is this zip's expansion: its
     * marker file names the zip's size and time. (Not the directory's own time: a plugin may keep
     * files of its own there, a cache of unpacked native libraries say, which changes that time.)
     */
    private static void expand(Path zip, Path dir) throws IOException {
        String stamp = Files.size(zip) + " " + Files.getLastModifiedTime(zip).toMillis();
        Path marker = dir.resolve(EXPANDED_MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
            return;
        }
        // open (which reads the central directory) before touching the old expansion
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (Files.exists(dir)) {
                FileUtils.delete(dir);
            }
            Path root = dir.toAbsolutePath().normalize();
            try {
                Enumeration<? extends ZipEntry> zipEntries = file.entries();
                while (zipEntries.hasMoreElements()) {
                    ZipEntry entry = zipEntries.nextElement();
                    Path target = root.resolve(entry.getName()).normalize();
                    if (!target.startsWith(root)) {
                        throw new IOException("entry " + entry.getName() + " points outside the plugin");
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                Files.createDirectories(root);
                // written last: an expansion cut short has no marker and is redone
                Files.writeString(root.resolve(EXPANDED_MARKER), stamp);
            } catch (IOException | RuntimeException e) {
                // a half-expanded plugin must not be loaded next time as if it were whole
                FileUtils.delete(dir);
                throw e;
            }
        }
    }
}
