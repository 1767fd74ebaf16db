package ai.piopiy.runtime.plugin;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.plugin.LoadReport.ProviderInfo;
import ai.piopiy.runtime.plugin.internal.ClassLoaderSafeServices;
import ai.piopiy.runtime.plugin.internal.ThreadContextClassLoader;
import ai.piopiy.spi.Service;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import java.util.Set;

/**
 * A provider the runtime found, on the class path or in a plugin. Services it creates from a plugin
 * run every call with the plugin's class loader as thread context class loader.
 */
public final class RegisteredProvider {

    public static final String CLASSPATH = "classpath";

    private final ProviderFactory factory;
    private final ProviderInfo info;
    private final ClassLoader pluginLoader;

    private RegisteredProvider(ProviderFactory factory, ProviderInfo info, ClassLoader pluginLoader) {
        this.factory = factory;
        this.info = info;
        this.pluginLoader = pluginLoader;
    }

    /** A provider on the application class path: its services are used as they are. */
    public static RegisteredProvider fromClasspath(ProviderFactory factory) {
        requireNonNull(factory, "factory is null");
        return new RegisteredProvider(factory, info(factory, CLASSPATH), null);
    }

    /** A provider from plugin {@code pluginId}, whose classes {@code pluginLoader} loaded. */
    public static RegisteredProvider fromPlugin(ProviderFactory factory, String pluginId, ClassLoader pluginLoader) {
        requireNonNull(factory, "factory is null");
        requireNonNull(pluginId, "pluginId is null");
        requireNonNull(pluginLoader, "pluginLoader is null");
        try (var _ = new ThreadContextClassLoader(pluginLoader)) {
            return new RegisteredProvider(factory, info(factory, pluginId), pluginLoader);
        }
    }

    private static ProviderInfo info(ProviderFactory factory, String origin) {
        return new ProviderInfo(factory.kind(), factory.id(), factory.description(), origin);
    }

    public ProviderKind kind() {
        return info.kind();
    }

    public String id() {
        return info.id();
    }

    /** {@value #CLASSPATH} or the id of the plugin the provider comes from. */
    public String origin() {
        return info.origin();
    }

    public ProviderInfo info() {
        return info;
    }

    /** Setting keys whose values are secrets. */
    public Set<String> secretKeys() {
        if (pluginLoader == null) {
            return Set.copyOf(factory.secretKeys());
        }
        try (var _ = new ThreadContextClassLoader(pluginLoader)) {
            return Set.copyOf(factory.secretKeys());
        }
    }

    /**
     * Creates the provider's service; it implements {@link #kind()}'s service type.
     *
     * @throws ai.piopiy.spi.provider.ConfigException when a setting is missing or wrong
     */
    public Service create(ProviderConfig config, ProviderContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        if (pluginLoader == null) {
            return checked(factory.create(config, context));
        }
        try (var _ = new ThreadContextClassLoader(pluginLoader)) {
            return ClassLoaderSafeServices.wrap(kind(), checked(factory.create(config, context)), pluginLoader);
        }
    }

    private Service checked(Service service) {
        if (!kind().serviceType().isInstance(service)) {
            String got = service == null ? "null" : "a " + service.getClass().getName();
            throw new IllegalStateException(kind().key() + " provider '" + id() + "' (" + origin() + ") returned "
                    + got + " instead of a " + kind().serviceType().getSimpleName());
        }
        return service;
    }

    @Override
    public String toString() {
        return kind().key() + " provider '" + id() + "' (" + origin() + ")";
    }
}
