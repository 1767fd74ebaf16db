package ai.piopiy.runtime.plugin.internal;

import java.nio.file.Path;
import java.util.Properties;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * A plugin's {@code plugin.properties}, read once for both what PF4J makes of it (the descriptor) and
 * the runtime's own keys ({@link PluginDirectoryLoader#PROVIDERS_PROPERTY}).
 */
final class PluginProperties extends PropertiesPluginDescriptorFinder {

    /** The properties of the plugin in {@code pluginDir}; PF4J's exception says why they are unreadable. */
    Properties read(Path pluginDir) throws PluginRuntimeException {
        return readProperties(pluginDir);
    }

    /** PF4J's descriptor made of {@code properties}. */
    PluginDescriptor descriptor(Properties properties) {
        return createPluginDescriptor(properties);
    }
}
