package ai.piopiy.runtime.plugin.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader that shares only the SPI, slf4j and PF4J with the host; every other class
 * comes from the JDK or from the plugin's own jars (Trino's {@code PluginClassLoader} and its
 * {@code SPI_PACKAGES}). Two plugins bundling different versions of one library each see their own,
 * and a library on the host's class path (Jackson, for example) never leaks into a plugin.
 *
 * <p>PF4J's own loader is parent-last but still falls back to the whole application class path,
 * which is how a plugin ends up working in development and failing in production; this one has no
 * such fallback: its parent is the platform class loader.
 *
 * <p>The one exception is a jar the plugin bundles that is identical to one of the host's ({@link
 * HostLibraries}): that jar's packages come from the host, so the plugin still sees exactly the
 * classes it bundled, loaded once for the whole runtime.
 */
public final class IsolatingPluginClassLoader extends PluginClassLoader {

    /** Packages whose classes come from the host, so that host and plugin agree on their types. */
    static final List<String> HOST_PACKAGES = List.of("ai.piopiy.spi.", "org.slf4j.", "org.pf4j.");

    private static final List<String> HOST_RESOURCES = HOST_PACKAGES.stream()
            .map(p -> p.replace('.', '/'))
            .toList();

    private final ClassLoader host;
    private final List<HostLibraries.SharedJar> sharedJars = new CopyOnWriteArrayList<>();
    private final Set<String> sharedPackages = ConcurrentHashMap.newKeySet();

    IsolatingPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader host) {
        super(manager, descriptor, ClassLoader.getPlatformClassLoader());
        this.host = requireNonNull(host, "host is null");
    }

    /** Takes {@code jar}'s classes and resources from the host instead of from a copy in the plugin. */
    void shareFromHost(HostLibraries.SharedJar jar) {
        sharedJars.add(jar);
        sharedPackages.addAll(jar.packages());
    }

    private boolean isShared(String className) {
        int dot = className.lastIndexOf('.');
        return dot > 0 && !sharedPackages.isEmpty() && sharedPackages.contains(className.substring(0, dot));
    }

    static boolean isHostClass(String className) {
        for (String prefix : HOST_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHostResource(String name) {
        for (String prefix : HOST_RESOURCES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (isHostClass(className)) {
            return host.loadClass(className);
        }
        if (isShared(className)) {
            try {
                return host.loadClass(className);
            } catch (ClassNotFoundException notInTheSharedJar) {
                // a split package: the class is in one of the plugin's own jars
            }
        }
        synchronized (getClassLoadingLock(className)) {
            Class<?> loaded = findLoadedClass(className);
            if (loaded != null) {
                return loaded;
            }
            try {
                return getParent().loadClass(className);
            } catch (ClassNotFoundException notInTheJdk) {
                return findClass(className);
            }
        }
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        Class<?> c = loadClass(className);
        if (resolve) {
            resolveClass(c);
        }
        return c;
    }

    @Override
    public URL getResource(String name) {
        if (isHostResource(name)) {
            return host.getResource(name);
        }
        URL url = getParent().getResource(name);
        if (url == null) {
            url = findResource(name);
        }
        if (url == null && !sharedJars.isEmpty()) {
            try {
                url = sharedResources(name).stream().findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }
        return url;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isHostResource(name)) {
            return host.getResources(name);
        }
        List<URL> urls = new ArrayList<>(Collections.list(getParent().getResources(name)));
        urls.addAll(Collections.list(findResources(name)));
        urls.addAll(sharedResources(name));
        return Collections.enumeration(urls);
    }

    /** The host's resources named {@code name} that lie in a jar this plugin shares. */
    private List<URL> sharedResources(String name) throws IOException {
        if (sharedJars.stream().noneMatch(jar -> jar.mayHold(name))) {
            // the usual answer (a plugin's META-INF/services file, say), found without asking every host jar
            return List.of();
        }
        List<URL> found = new ArrayList<>();
        for (URL url : Collections.list(host.getResources(name))) {
            for (HostLibraries.SharedJar jar : sharedJars) {
                if (jar.holds(url)) {
                    found.add(url);
                    break;
                }
            }
        }
        return found;
    }
}
