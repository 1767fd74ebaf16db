package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.distribution.TestDistribution.Result;
import ai.piopiy.runtime.testing.EchoLlmFactory;
import ai.piopiy.runtime.vad.EnergyVadService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the built distribution, drops plugin zips into its plugins/ (the third-party example
 * built from source with the Maven wrapper, a plugin of the runtime's test providers, and two broken
 * ones), and runs {@code bin/piopiy} as a user would.
 */
class DistributionIT {

    @TempDir
    static Path work;

    static Path home;

    @BeforeAll
    static void unpackAndInstallPlugins() throws Exception {
        home = TestDistribution.unpack(work);
        Path plugins = home.resolve("plugins");
        assertThat(plugins).isEmptyDirectory();

        Files.copy(buildThirdPartyExample(), plugins.resolve("uppercase-llm-1.0.0-plugin.zip"));
        testProvidersPlugin(plugins.resolve("test-providers.zip"));
        Files.write(plugins.resolve("truncated.zip"), new byte[] {'P', 'K', 3, 4, 20, 0});
        pluginBundlingTheSpi(plugins.resolve("careless.zip"));
    }

    @Test
    void pluginsListsWhatLoadedAndWhatDidNot() throws Exception {
        Result r = piopiy("plugins");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("""
                Plugins directory: %s
                SPI version: 0.1.0

                test-providers 0.1.0 - the runtime's test providers
                  stt       scripted
                  llm       echo      repeats what the caller said
                  tts       tone
                  vad       energy
                  transport loopback
                uppercase 1.0.0 - An LLM provider that answers with what the caller said, in capitals
                  llm       uppercase  repeats what the caller said, in capitals

                Failed to load (2):
                  careless.zip: bundles the Piopiy SPI (lib/piopiy-spi-0.1.0-SNAPSHOT.jar); the SPI comes from the runtime: \
                declare ai.piopiy:piopiy-spi with <scope>provided</scope> and rebuild the plugin
                  truncated.zip: not a readable zip file (zip END header not found); replace it with a complete copy of the plugin
                """.formatted(home.resolve("plugins")));
    }

    @Test
    void validateAcceptsAManifestOfThePluginsProviders() throws Exception {
        Path manifest = Files.writeString(work.resolve("agent.json"), manifest("\"max_words\": 20"));
        Result r = piopiy("validate", manifest.toString());

        assertThat(r.err()).doesNotContain("ERROR").doesNotContain("Exception");
        assertThat(r.out()).isEqualTo("agent.json is valid: stt scripted, llm uppercase, tts tone, vad energy, transport loopback\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void validateListsEveryErrorAndExitsWithTwo() throws Exception {
        Path manifest = Files.writeString(work.resolve("broken.json"), manifest("\"max_words\": \"many\", \"voice\": \"x\"")
                .replace("\"provider\": \"tone\"", "\"provider\": \"tones\"")
                .replace("\"greeting\"", "\"greting\""));
        Result r = piopiy("validate", manifest.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).endsWith("""
                broken.json has 3 errors:
                  pipeline.greting: unknown field; did you mean greeting? expected one of: instructions, greeting, \
                initial_messages, stt, llm, tts, vad, vad_params, interruptions, guards, tools
                  pipeline.llm.max_words: expected an integer but got the string "many"
                  pipeline.tts.provider: unknown tts provider 'tones'; did you mean tone? the loaded plugins offer: tone
                """);
    }

    @Test
    void theShippedExampleManifestIsWellFormedAndNamesTheProvidersItNeeds() throws Exception {
        Result r = TestDistribution.piopiy(home, Map.of("PIOPIY_AGENT_ID", "a1", "PIOPIY_AGENT_TOKEN", "t1"), work,
                "validate", home.resolve("conf/manifest.example.json").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).endsWith("""
                manifest.example.json has 6 errors:
                  pipeline.stt.provider: unknown stt provider 'deepgram'; the loaded plugins offer: scripted
                  pipeline.llm.provider: unknown llm provider 'openai'; the loaded plugins offer: echo, uppercase
                  pipeline.tts.switch.services.english.provider: unknown tts provider 'cartesia'; the loaded plugins offer: tone
                  pipeline.tts.switch.services.spanish.provider: unknown tts provider 'cartesia'; the loaded plugins offer: tone
                  pipeline.vad.provider: unknown vad provider 'silero'; the loaded plugins offer: energy
                  transport.provider: unknown transport provider 'livekit'; the loaded plugins offer: loopback
                """);
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = piopiy("version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("piopiy 0.1.0-SNAPSHOT\nSPI 0.1.0\nJava 2");
        Result help = piopiy("run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: piopiy [--plugins-dir DIR] run <manifest>");
    }

    @Test
    void theShippedAotCacheIsUsedAndOneFromATrainingRunToo() throws Exception {
        Path cache = home.resolve("lib/piopiy.aot");
        // shipped: the runtime's classes come out of it (the JVM would say why if it refused the cache)
        assertThat(cache).isRegularFile();
        Result shipped = TestDistribution.piopiy(home, Map.of("PIOPIY_JAVA_OPTS", "-Xlog:class+load=info"), work, "version");
        assertThat(shipped.code()).isZero();
        assertThat(shipped.out()).contains("ai.piopiy.cli.PiopiyCli source: shared objects file");
        assertThat(shipped.err()).isEmpty();

        Result training = TestDistribution.piopiy(home, Map.of("PIOPIY_JAVA_OPTS", "-XX:AOTCacheOutput=" + cache), work, "plugins");
        assertThat(training.code()).isEqualTo(1);
        assertThat(cache).isRegularFile();

        Result version = piopiy("version");
        assertThat(version.code()).isZero();
        assertThat(version.err()).isEmpty();
    }

    private static String manifest(String llmSettings) {
        return """
                {
                  "agent": {"id": "agent-1", "token": "${AGENT_TOKEN:-not-a-real-token}"},
                  "pipeline": {
                    "instructions": "Repeat the caller.",
                    "greeting": "Hello",
                    "stt": {"provider": "scripted", "transcripts": ["hello"]},
                    "llm": {"provider": "uppercase", %s},
                    "tts": {"provider": "tone"},
                    "vad": {"provider": "energy"}
                  },
                  "transport": {"provider": "loopback"}
                }
                """.formatted(llmSettings);
    }

    /** Builds examples/third-party-provider with the Maven wrapper, the SPI coming from a temporary local repository. */
    private static Path buildThirdPartyExample() throws Exception {
        Path root = Path.of(System.getProperty("piopiy.root"));
        Path project = work.resolve("third-party-provider");
        copyTree(root.resolve("examples/third-party-provider"), project);

        // the SPI as the distribution ships it, in a local repository of its own (the user's stays untouched)
        Path repo = work.resolve("repo");
        Path spiDir = Files.createDirectories(repo.resolve("ai/piopiy/piopiy-spi/0.1.0-SNAPSHOT"));
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            Path spiJar = lib.filter(p -> p.getFileName().toString().startsWith("piopiy-spi-")).findFirst().orElseThrow();
            Files.copy(spiJar, spiDir.resolve("piopiy-spi-0.1.0-SNAPSHOT.jar"));
        }
        Files.writeString(spiDir.resolve("piopiy-spi-0.1.0-SNAPSHOT.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>ai.piopiy</groupId>
                  <artifactId>piopiy-spi</artifactId>
                  <version>0.1.0-SNAPSHOT</version>
                  <dependencies>
                    <dependency>
                      <groupId>org.slf4j</groupId>
                      <artifactId>slf4j-api</artifactId>
                      <version>2.0.17</version>
                    </dependency>
                  </dependencies>
                </project>
                """);
        List<String> mvn = List.of(root.resolve(isWindows() ? "mvnw.cmd" : "mvnw").toString(), "-B", "-ntp", "-q",
                "-f", project.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + System.getProperty("piopiy.localRepository"),
                "package");
        Result build = TestDistribution.exec(mvn, Map.of("JAVA_HOME", System.getProperty("java.home")), work);
        assertThat(build.code()).as("example build:\n%s\n%s", build.out(), build.err()).isZero();
        Path zip = project.resolve("target/uppercase-llm-1.0.0-plugin.zip");
        assertThat(zip).isRegularFile();
        return zip;
    }

    /**
     * The runtime's test providers (factories over the engine tests' fakes and the engine's energy VAD,
     * which use the SPI only), packed as a plugin: the plugin brings its own copy of every class.
     */
    private static void testProvidersPlugin(Path zip) throws IOException, URISyntaxException {
        String factoriesPackage = EchoLlmFactory.class.getPackageName().replace('.', '/') + "/";
        Path jar = work.resolve("test-providers.jar");
        List<String> factories = new ArrayList<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : copyClasses(EchoLlmFactory.class, List.of(factoriesPackage, "ai/piopiy/testing/"), out)) {
                if (name.startsWith(factoriesPackage) && name.endsWith("Factory.class")) {
                    factories.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
            copyClasses(EnergyVadService.class, List.of("ai/piopiy/runtime/vad/EnergyVadService"), out);
            out.putNextEntry(new JarEntry("META-INF/services/ai.piopiy.spi.provider.ProviderFactory"));
            out.write((String.join("\n", factories) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        zipPlugin(zip, "test-providers", "the runtime's test providers", jar);
    }

    /** Copies the classes of {@code from}'s jar whose names start with one of {@code prefixes} (no subpackages). */
    private static List<String> copyClasses(Class<?> from, List<String> prefixes, JarOutputStream out)
            throws IOException, URISyntaxException {
        Path source = Path.of(from.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> copied = new ArrayList<>();
        try (JarFile in = new JarFile(source.toFile())) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                boolean wanted = name.endsWith(".class") && prefixes.stream().anyMatch(prefix -> name.startsWith(prefix)
                        && name.indexOf('/', prefix.lastIndexOf('/') + 1) < 0);
                if (wanted) {
                    out.putNextEntry(new JarEntry(name));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                    copied.add(name);
                }
            }
        }
        return copied;
    }

    private static void pluginBundlingTheSpi(Path zip) throws IOException {
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            zipPlugin(zip, "careless", "bundles what it must not",
                    lib.filter(p -> p.getFileName().toString().startsWith("piopiy-spi-")).findFirst().orElseThrow());
        }
    }

    private static void zipPlugin(Path zip, String id, String description, Path jar) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("plugin.properties"));
            out.write(("plugin.id=" + id + "\nplugin.version=0.1.0\nplugin.requires=0.1.0\nplugin.description=" + description + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
            Files.copy(jar, out);
            out.closeEntry();
        }
    }

    private static Result piopiy(String... args) throws Exception {
        return TestDistribution.piopiy(home, Map.of(), work, args);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name").startsWith("Windows");
    }
}
