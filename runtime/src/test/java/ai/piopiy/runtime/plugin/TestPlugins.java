package ai.piopiy.runtime.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugins for tests: compiles Java sources with {@code javax.tools} against the test
 * class path (so the SPI is there), packs them into jars, and lays them out as a PF4J plugin
 * directory or zip ({@code plugin.properties} + {@code lib/}).
 */
public final class TestPlugins {

    private final Path workDir;

    public TestPlugins(Path workDir) {
        this.workDir = requireNonNull(workDir, "workDir is null");
    }

    /** Compiles {@code sources} (class name to source) with {@code classpath} added, into a jar named {@code name}. */
    public Path jar(String name, Map<String, String> sources, List<Path> classpath, Map<String, String> resources) {
        try {
            Path src = Files.createTempDirectory(workDir, "src");
            Path classes = Files.createTempDirectory(workDir, "classes");
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-proc:none", "-nowarn",
                    "-classpath", System.getProperty("java.class.path")
                            + classpath.stream().map(p -> java.io.File.pathSeparator + p).reduce("", String::concat)));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (!sources.isEmpty() && javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("test sources of " + name + " do not compile (see stderr)");
            }
            Path jar = workDir.resolve(name);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
                for (Map.Entry<String, String> resource : resources.entrySet()) {
                    out.putNextEntry(new JarEntry(resource.getKey()));
                    out.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar with provider factories registered in META-INF/services. */
    public Path providerJar(String name, Map<String, String> sources, List<Path> classpath, String... factories) {
        return jar(name, sources, classpath, Map.of("META-INF/services/ai.piopiy.spi.provider.ProviderFactory",
                String.join("\n", factories) + "\n"));
    }

    public Plugin plugin(String id) {
        return new Plugin(id);
    }

    /** A plugin being laid out. */
    public final class Plugin {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<Path> libs = new ArrayList<>();

        private Plugin(String id) {
            if (id != null) {
                properties.put("plugin.id", id);
            }
            properties.put("plugin.version", "1.0.0");
            properties.put("plugin.requires", "0.1.0");
            properties.put("plugin.description", "test plugin " + id);
        }

        public Plugin property(String key, String value) {
            if (value == null) {
                properties.remove(key);
            } else {
                properties.put(key, value);
            }
            return this;
        }

        public Plugin lib(Path jar) {
            libs.add(jar);
            return this;
        }

        /** Writes the plugin as directory {@code name} of {@code pluginsDir}. */
        public Path writeDirectory(Path pluginsDir, String name) {
            try {
                Path dir = Files.createDirectories(pluginsDir.resolve(name));
                Files.writeString(dir.resolve("plugin.properties"), propertiesText());
                Path lib = Files.createDirectories(dir.resolve("lib"));
                for (Path jar : libs) {
                    Files.copy(jar, lib.resolve(jar.getFileName()));
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the plugin as {@code name} (a zip) in {@code pluginsDir}. */
        public Path writeZip(Path pluginsDir, String name) {
            try {
                Files.createDirectories(pluginsDir);
                Path zip = pluginsDir.resolve(name);
                try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                    out.putNextEntry(new ZipEntry("plugin.properties"));
                    out.write(propertiesText().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                    for (Path jar : libs) {
                        out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                        Files.copy(jar, out);
                        out.closeEntry();
                    }
                }
                return zip;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String propertiesText() {
            StringBuilder text = new StringBuilder();
            properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            return text.toString();
        }
    }

    /** Writes {@code bytes} as file {@code name} of {@code dir}. */
    public static Path write(Path dir, String name, byte[] bytes) {
        try (OutputStream out = Files.newOutputStream(Files.createDirectories(dir).resolve(name))) {
            out.write(bytes);
            return dir.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The source of an LLM provider factory {@code className} with id {@code id} whose service answers
     * every request with {@code answerExpression} (a Java String expression) and completes.
     */
    public static String llmFactory(String className, String id, String answerExpression) {
        int dot = className.lastIndexOf('.');
        return """
                package %s;

                import ai.piopiy.spi.llm.*;
                import ai.piopiy.spi.provider.*;

                public class %s implements LlmProviderFactory {
                    @Override public String id() { return "%s"; }
                    @Override public String description() { return "answers with a fixed text"; }
                    @Override public LlmService create(ProviderConfig config, ProviderContext context) {
                        String prefix = config.string("prefix", "");
                        return new LlmService() {
                            @Override public String name() { return "%s"; }
                            @Override public LlmStream stream(LlmRequest request, LlmListener listener) {
                                listener.onText(prefix + (%s));
                                listener.onComplete();
                                return () -> {};
                            }
                        };
                    }
                }
                """.formatted(className.substring(0, dot), className.substring(dot + 1), id, id, answerExpression);
    }
}
