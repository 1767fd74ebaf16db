package ai.piopiy.plugin.ttswebsocket.testing;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A built plugin ZIP, unpacked and loaded the way the host loads plugins: its {@code lib/} jars in
 * their own class loader, which sees only the JDK, the SPI and slf4j from the host. A plugin that
 * forgot to bundle a library, or bundled the SPI, fails here rather than in production.
 */
public final class PluginZip implements AutoCloseable {

    private static final List<String> SHARED_PACKAGES = List.of("ai.piopiy.spi.", "org.slf4j.");

    private final Properties properties = new Properties();
    private final List<String> libraries = new ArrayList<>();
    private final URLClassLoader loader;

    private PluginZip(Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("plugin.properties"))) {
            properties.load(in);
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                libraries.add(jar.getFileName().toString());
                urls.add(toUrl(jar));
            }
        }
        this.loader = new URLClassLoader("plugin-" + properties.getProperty("plugin.id"), urls.toArray(URL[]::new), new HostClassLoader());
    }

    /** Unpacks {@code zip} into {@code dir} and loads it. */
    public static PluginZip unpack(Path zip, Path dir) throws IOException {
        requireNonNull(zip, "zip is null");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
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
        return new PluginZip(dir);
    }

    /** The ZIP's {@code plugin.properties}. */
    public Properties properties() {
        return properties;
    }

    /** The file names in {@code lib/}. */
    public List<String> libraries() {
        return List.copyOf(libraries);
    }

    public ClassLoader loader() {
        return loader;
    }

    /** The factory with {@code id} that the plugin's own loader defines. */
    public ProviderFactory factory(String id) {
        return ServiceLoader.load(ProviderFactory.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals(id) && f.getClass().getClassLoader() == loader)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the plugin defines no provider factory '" + id + "'"));
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host as a plugin sees it: the JDK, plus the SPI and slf4j from the test's class path. */
    private static final class HostClassLoader extends ClassLoader {

        private final ClassLoader host = PluginZip.class.getClassLoader();

        HostClassLoader() {
            super("host", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            for (String shared : SHARED_PACKAGES) {
                if (name.startsWith(shared)) {
                    return host.loadClass(name);
                }
            }
            throw new ClassNotFoundException(name + " is not shared with plugins");
        }
    }
}
