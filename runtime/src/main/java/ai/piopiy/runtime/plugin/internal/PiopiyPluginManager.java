package ai.piopiy.runtime.plugin.internal;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pf4j.BasePluginLoader;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;
import org.pf4j.RuntimeMode;
import org.pf4j.util.FileUtils;

/**
 * PF4J's plugin manager narrowed to what Piopiy plugins are: a directory (expanded from a zip) with
 * {@code plugin.properties} and {@code lib/*.jar}, loaded by an {@link IsolatingPluginClassLoader}.
 * {@link PluginDirectoryLoader} decides what to load and reports failures; this class only loads.
 */
final class PiopiyPluginManager extends DefaultPluginManager {

    private final ClassLoader host;
    private final HostLibraries hostLibraries;

    PiopiyPluginManager(Path pluginsDir, String spiVersion, ClassLoader host) {
        super(pluginsDir);
        this.host = requireNonNull(host, "host is null");
        this.hostLibraries = HostLibraries.of(host);
        setSystemVersion(spiVersion);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // development mode would look for plugins in target/classes directories
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        // no enabled.txt/disabled.txt: a plugin in the directory is used, one that should not be is removed
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("remove the plugin from the plugins directory instead");
            }

            @Override
            public void enablePlugin(String pluginId) {
                throw new UnsupportedOperationException("a plugin in the plugins directory is always enabled");
            }
        };
    }

    @Override
    protected PluginRepository createPluginRepository() {
        // PluginDirectoryLoader lists and expands the plugins directory itself; PF4J's three repositories
        // (development, jar, zip) would only be built, which costs several ms of start-up
        return new PluginRepository() {
            @Override
            public List<Path> getPluginPaths() {
                return List.of();
            }

            @Override
            public boolean deletePluginPath(Path pluginPath) {
                return false;
            }
        };
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new PropertiesPluginDescriptorFinder();
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new BasePluginLoader(this, new DefaultPluginClasspath()) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new IsolatingPluginClassLoader(PiopiyPluginManager.this, descriptor, host);
            }

            @Override
            protected void loadJars(Path pluginPath, PluginClassLoader loader) {
                for (String directory : pluginClasspath.getJarsDirectories()) {
                    for (File jar : FileUtils.getJars(pluginPath.resolve(directory))) {
                        Optional<HostLibraries.SharedJar> shared = hostLibraries.identicalTo(jar.toPath());
                        if (shared.isPresent() && loader instanceof IsolatingPluginClassLoader isolating) {
                            isolating.shareFromHost(shared.get());
                        } else {
                            loader.addFile(jar);
                        }
                    }
                }
            }
        };
    }

    /** The host's jars that plugins share when they bundle identical copies. */
    HostLibraries hostLibraries() {
        return hostLibraries;
    }

    /** Loads one plugin directory; PF4J's exceptions say why it could not. */
    PluginWrapper load(Path pluginDir) {
        PluginWrapper plugin = loadPluginFromPath(pluginDir);
        resolvePlugins();
        return plugin;
    }

    /** Whether {@code requires} (a plugin.requires expression) admits this runtime's SPI version. */
    boolean admits(String requires) {
        String constraint = requires.trim();
        if (constraint.matches("^\\d+\\.\\d+\\.\\d+$")) {
            // PF4J's convention: a bare version means "this or newer"
            constraint = ">=" + constraint;
        }
        return getVersionManager().checkVersionConstraint(getSystemVersion(), constraint);
    }

    @Override
    protected boolean isPluginValid(PluginWrapper pluginWrapper) {
        // the version check is PluginDirectoryLoader's, which reports it instead of only logging it
        return true;
    }

    void unload(String pluginId) {
        unloadPlugin(pluginId);
    }
}
