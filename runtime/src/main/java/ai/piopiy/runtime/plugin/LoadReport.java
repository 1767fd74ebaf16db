package ai.piopiy.runtime.plugin;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.provider.ProviderKind;
import java.nio.file.Path;
import java.util.List;

/**
 * What plugin loading found: the plugins that loaded, the providers each offers, and everything that
 * failed, each failure with a message an operator can act on. A failure never stops other plugins.
 *
 * @param pluginsDir the directory plugins were loaded from
 * @param spiVersion the SPI version of this runtime, which {@code plugin.requires} is checked against
 * @param plugins the plugins that loaded, in load order
 * @param classpathProviders providers found on the application class path
 * @param failures what could not be loaded, in the order it was found
 */
public record LoadReport(Path pluginsDir, String spiVersion, List<LoadedPlugin> plugins,
                         List<ProviderInfo> classpathProviders, List<LoadFailure> failures) {

    public LoadReport {
        requireNonNull(pluginsDir, "pluginsDir is null");
        requireNonNull(spiVersion, "spiVersion is null");
        plugins = List.copyOf(plugins);
        classpathProviders = List.copyOf(classpathProviders);
        failures = List.copyOf(failures);
    }

    public boolean hasFailures() {
        return !failures.isEmpty();
    }

    /** A plugin that loaded, and the providers it offers (some of its providers may still have failed). */
    public record LoadedPlugin(String id, String version, String description, Path path, List<ProviderInfo> providers) {
        public LoadedPlugin {
            requireNonNull(id, "id is null");
            requireNonNull(version, "version is null");
            requireNonNull(description, "description is null");
            requireNonNull(path, "path is null");
            providers = List.copyOf(providers);
        }
    }

    /** A provider and where it comes from ({@code classpath} or a plugin id). */
    public record ProviderInfo(ProviderKind kind, String id, String description, String origin) {
        public ProviderInfo {
            requireNonNull(kind, "kind is null");
            requireNonNull(id, "id is null");
            requireNonNull(description, "description is null");
            requireNonNull(origin, "origin is null");
        }
    }

    /**
     * Something that did not load.
     *
     * @param source what failed: a path under the plugins directory, a plugin id, or {@code classpath}
     * @param message what went wrong and, where there is one, what to do about it
     */
    public record LoadFailure(String source, String message) {
        public LoadFailure {
            requireNonNull(source, "source is null");
            requireNonNull(message, "message is null");
        }

        @Override
        public String toString() {
            return source + ": " + message;
        }
    }
}
