package ai.piopiy.testing;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A built plugin ZIP unpacked into a directory and loaded the way the host does: its {@code lib/}
 * jars behind their own class loader, which sees only the JDK, the SPI and slf4j from the host. A
 * plugin that leans on a class it does not bundle fails here, not in production.
 */
public final class PluginZip implements AutoCloseable {

    private final Properties properties = new Properties();
    private final List<String> libraries = new ArrayList<>();
    private final URLClassLoader loader;

    private PluginZip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the plugin directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        try (InputStream props = Files.newInputStream(into.resolve("plugin.properties"))) {
            properties.load(props);
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> jars = Files.list(into.resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                libraries.add(jar.getFileName().toString());
                urls.add(url(jar));
            }
        }
        loader = new URLClassLoader("plugin-" + properties.getProperty("plugin.id"), urls.toArray(URL[]::new),
                new HostApiClassLoader(PluginZip.class.getClassLoader()));
    }

    /** Unpacks the ZIP named by the system property {@code piopiy.plugin.zip} (set by the module's failsafe run). */
    public static PluginZip fromBuild(Path workDir) throws IOException {
        String zip = requireNonNull(System.getProperty("piopiy.plugin.zip"), "system property piopiy.plugin.zip is not set");
        return new PluginZip(Path.of(zip), workDir);
    }

    /** The plugin's class loader, for tests that run plugin code with it as the thread's context loader, as the host does. */
    public ClassLoader loader() {
        return loader;
    }

    /** The file names of the jars in the plugin's {@code lib/}, sorted. */
    public List<String> libraries() {
        return List.copyOf(libraries);
    }

    /** The factories the plugin's own service file lists, loaded by the plugin's loader. */
    public List<ProviderFactory> factories() {
        return ServiceLoader.load(ProviderFactory.class, loader).stream().map(ServiceLoader.Provider::get).toList();
    }

    /**
     * Checks what every plugin must be: its id, the libraries it must bundle in {@code lib/} (by file
     * name prefix) but neither the SPI nor slf4j, and factories of {@code kind} with {@code ids} from
     * its own loader.
     *
     * @return those factories, in service-file order
     */
    public List<ProviderFactory> checkPlugin(String pluginId, ProviderKind kind, List<String> bundled, String... ids) {
        return checkPlugin(pluginId, bundled, Arrays.stream(ids).map(id -> Map.entry(id, kind)).toList());
    }

    /** As above, for a plugin with factories of several kinds: {@code expected} lists each id and kind, in service-file order. */
    public List<ProviderFactory> checkPlugin(String pluginId, List<String> bundled, List<Map.Entry<String, ProviderKind>> expected) {
        assertThat(properties.getProperty("plugin.id")).isEqualTo(pluginId);
        assertThat(libraries).noneMatch(jar -> jar.startsWith("piopiy-spi") || jar.startsWith("slf4j"));
        for (String prefix : bundled) {
            assertThat(libraries).anyMatch(jar -> jar.startsWith(prefix));
        }
        List<ProviderFactory> factories = factories();
        assertThat(factories).extracting(f -> Map.entry(f.id(), f.kind())).containsExactlyElementsOf(expected);
        assertThat(factories).allSatisfy(f -> assertThat(f.getClass().getClassLoader()).isSameAs(loader));
        return factories;
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host as a plugin sees it: the JDK, plus the SPI and slf4j packages; nothing else of the classpath. */
    private static final class HostApiClassLoader extends ClassLoader {
        private final ClassLoader host;

        HostApiClassLoader(ClassLoader host) {
            super("host-api", ClassLoader.getPlatformClassLoader());
            this.host = host;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("ai.piopiy.spi.") || name.startsWith("org.slf4j.")) {
                return host.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
