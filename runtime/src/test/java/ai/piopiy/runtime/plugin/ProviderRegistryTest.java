package ai.piopiy.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.runtime.plugin.LoadReport.LoadFailure;
import ai.piopiy.runtime.testing.LlmAnswers;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    /** A tiny library in two versions; describe() also tells what its caller's thread and loader see. */
    private static final String TINY_LIB = """
            package tinylib;

            public final class Tiny {
                public static String describe(Class<?> caller) {
                    return "tinylib %s, context loader is the plugin's: "
                            + (Thread.currentThread().getContextClassLoader() == caller.getClassLoader())
                            + ", host's Jackson visible: " + visible("com.fasterxml.jackson.databind.ObjectMapper", caller);
                }

                private static boolean visible(String name, Class<?> caller) {
                    try {
                        Class.forName(name, false, caller.getClassLoader());
                        return true;
                    } catch (ClassNotFoundException e) {
                        return false;
                    }
                }
            }
            """;

    @TempDir
    Path temp;

    private TestPlugins build;
    private Path pluginsDir;

    @BeforeEach
    void setUp() throws IOException {
        build = new TestPlugins(Files.createDirectories(temp.resolve("build")));
        pluginsDir = temp.resolve("plugins");
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryBothWork() throws IOException {
        Path tiny1 = build.jar("tinylib-1.0.jar", Map.of("tinylib.Tiny", TINY_LIB.formatted("1.0")), List.of(), Map.of());
        Path tiny2 = build.jar("tinylib-2.0.jar", Map.of("tinylib.Tiny", TINY_LIB.formatted("2.0")), List.of(), Map.of());
        build.plugin("alpha")
                .lib(build.providerJar("alpha.jar", Map.of("alpha.AlphaFactory", TestPlugins.llmFactory(
                        "alpha.AlphaFactory", "alpha", "tinylib.Tiny.describe(getClass())")), List.of(tiny1), "alpha.AlphaFactory"))
                .lib(tiny1)
                .writeZip(pluginsDir, "alpha-1.0.0.zip");
        build.plugin("beta")
                .lib(build.providerJar("beta.jar", Map.of("beta.BetaFactory", TestPlugins.llmFactory(
                        "beta.BetaFactory", "beta", "tinylib.Tiny.describe(getClass())")), List.of(tiny2), "beta.BetaFactory"))
                .lib(tiny2)
                .writeDirectory(pluginsDir, "beta");
        // PF4J's own switch is not used: a plugin in the directory is a plugin in use
        Files.writeString(pluginsDir.resolve("disabled.txt"), "alpha\n");

        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(registry.loadReport().failures()).isEmpty();
            assertThat(registry.ids(ProviderKind.LLM)).contains("alpha", "beta");
            ClassLoader before = Thread.currentThread().getContextClassLoader();

            assertThat(answer(registry, "alpha"))
                    .isEqualTo("tinylib 1.0, context loader is the plugin's: true, host's Jackson visible: false");
            assertThat(answer(registry, "beta"))
                    .isEqualTo("tinylib 2.0, context loader is the plugin's: true, host's Jackson visible: false");
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
            assertThat(registry.find(ProviderKind.LLM, "alpha").orElseThrow().origin()).isEqualTo("alpha");
            assertThat(registry.loadReport().plugins())
                    .extracting(LoadReport.LoadedPlugin::id, LoadReport.LoadedPlugin::version)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("alpha", "1.0.0"),
                            org.assertj.core.groups.Tuple.tuple("beta", "1.0.0"));
        }
    }

    @Test
    void aPluginDeclaringItsProvidersIsLoadedOnlyWhenOneIsAskedFor() throws Exception {
        build.plugin("lazy").property(PluginDirectoryLoaderKeys.PROVIDERS, "llm:lazy")
                .lib(llmJar("lazy", "\"lazy answer\"")).writeZip(pluginsDir, "lazy.zip");
        build.plugin("unused").property(PluginDirectoryLoaderKeys.PROVIDERS, "llm:unused")
                .lib(llmJar("unused", "\"never\"")).writeDirectory(pluginsDir, "unused");
        build.plugin("plain").lib(llmJar("plain", "\"plain answer\"")).writeDirectory(pluginsDir, "plain");
        build.plugin("liar").property(PluginDirectoryLoaderKeys.PROVIDERS, "llm:liar, llm:ghost")
                .lib(llmJar("liar", "\"liar answer\"")).writeDirectory(pluginsDir, "liar");
        build.plugin("typo").property(PluginDirectoryLoaderKeys.PROVIDERS, "speech:typo")
                .lib(llmJar("typo", "\"typo\"")).writeDirectory(pluginsDir, "typo");

        try (ProviderRegistry registry = ProviderRegistry.loadOnDemand(pluginsDir)) {
            // undeclared plugins load at once; declared ones are only named
            assertThat(registry.loadReport().plugins()).extracting(LoadReport.LoadedPlugin::id).containsExactly("plain");
            assertThat(registry.ids(ProviderKind.LLM)).contains("ghost", "lazy", "liar", "plain", "unused")
                    .doesNotContain("typo");
            assertThat(registry.loadReport().failures()).map(LoadFailure::toString).containsExactly(
                    "typo/: plugin.properties: piopiy.providers entry 'speech:typo' is not kind:id "
                            + "(kinds: stt, llm, tts, vad, transport; for example stt:deepgram)");

            // services created in parallel ask for one plugin at once: it loads once, for all of them
            List<Thread> askers = new java.util.ArrayList<>();
            List<RegisteredProvider> found = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int i = 0; i < 4; i++) {
                askers.add(Thread.ofPlatform().start(() -> found.add(registry.find(ProviderKind.LLM, "lazy").orElseThrow())));
            }
            for (Thread asker : askers) {
                asker.join();
            }
            assertThat(found).hasSize(4).allSatisfy(p -> assertThat(p).isSameAs(found.getFirst()));
            assertThat(answer(registry, "lazy")).isEqualTo("lazy answer");
            assertThat(registry.loadReport().plugins()).extracting(LoadReport.LoadedPlugin::id)
                    .containsExactly("plain", "lazy");

            assertThat(registry.find(ProviderKind.LLM, "ghost")).isEmpty();
            assertThat(registry.loadReport().failures()).map(LoadFailure::toString).contains(
                    "liar: plugin.properties declares piopiy.providers=llm:ghost, llm:liar but the plugin offers "
                            + "llm:liar; make the two agree");

            // everything, as `piopiy plugins` lists it
            assertThat(registry.providers()).filteredOn(p -> !p.origin().equals(RegisteredProvider.CLASSPATH))
                    .extracting(RegisteredProvider::id).containsExactlyInAnyOrder("lazy", "liar", "plain", "unused");
            assertThat(registry.loadReport().plugins()).extracting(LoadReport.LoadedPlugin::id)
                    .containsExactlyInAnyOrder("plain", "lazy", "liar", "unused");
            assertThat(registry.loadReport().failures()).hasSize(2);
        }
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(registry.loadReport().plugins()).extracting(LoadReport.LoadedPlugin::id)
                    .containsExactly("lazy", "liar", "plain", "unused");
        }
    }

    @Test
    void aBundledJarIdenticalToTheRuntimesIsTheRuntimesAndAChangedCopyStaysThePlugins() throws Exception {
        Path hostJackson = Path.of(com.fasterxml.jackson.databind.ObjectMapper.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        String whoseJackson = "String.valueOf(com.fasterxml.jackson.databind.ObjectMapper.class.getClassLoader() "
                + "== ClassLoader.getSystemClassLoader()) + \" \" + (getClass().getClassLoader()"
                + ".getResource(\"META-INF/services/com.fasterxml.jackson.core.ObjectCodec\") != null)";
        Path copy = Files.createDirectories(temp.resolve("copy")).resolve(hostJackson.getFileName());
        Files.copy(hostJackson, copy);
        build.plugin("same")
                .lib(build.providerJar("same.jar", Map.of("same.SameFactory", TestPlugins.llmFactory(
                        "same.SameFactory", "same", whoseJackson)), List.of(hostJackson), "same.SameFactory"))
                .lib(copy)
                .writeZip(pluginsDir, "same.zip");
        // the same file name, other bytes: a jar with its own ObjectMapper
        Path altered = build.jar(hostJackson.getFileName().toString(), Map.of("com.fasterxml.jackson.databind.ObjectMapper",
                "package com.fasterxml.jackson.databind; public class ObjectMapper {}"), List.of(), Map.of());
        build.plugin("other")
                .lib(build.providerJar("other.jar", Map.of("other.OtherFactory", TestPlugins.llmFactory(
                        "other.OtherFactory", "other", whoseJackson)), List.of(hostJackson), "other.OtherFactory"))
                .lib(altered)
                .writeDirectory(pluginsDir, "other");

        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(registry.loadReport().failures()).isEmpty();
            assertThat(answer(registry, "same")).isEqualTo("true true");
            assertThat(answer(registry, "other")).isEqualTo("false false");
        }
    }

    private Path llmJar(String id, String answer) {
        String factory = id + ".Factory";
        return build.providerJar(id + ".jar", Map.of(factory, TestPlugins.llmFactory(factory, id, answer)), List.of(), factory);
    }

    /** The plugin.properties keys the runtime reads beyond PF4J's. */
    private static final class PluginDirectoryLoaderKeys {
        static final String PROVIDERS = ai.piopiy.runtime.plugin.internal.PluginDirectoryLoader.PROVIDERS_PROPERTY;
    }

    @Test
    void providersOnTheClasspathAreFound() {
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(registry.find(ProviderKind.LLM, "echo")).map(RegisteredProvider::origin).contains("classpath");
            assertThat(registry.loadReport().classpathProviders()).extracting(LoadReport.ProviderInfo::id)
                    .contains("echo");
            assertThat(registry.loadReport().failures()).isEmpty();
        }
    }

    @Test
    void theClasspathIsNotSearchedWhenTheRuntimeSaysItHasNoProviders() {
        System.setProperty(ProviderRegistry.CLASSPATH_PROVIDERS_PROPERTY, "false");
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(registry.find(ProviderKind.LLM, "echo")).isEmpty();
            assertThat(registry.loadReport().classpathProviders()).isEmpty();
            // asked for explicitly, a class-path provider is still found
            assertThat(ProviderRegistry.findOnClasspath(ProviderKind.LLM, "echo", ProviderRegistry.class.getClassLoader()))
                    .isPresent();
        } finally {
            System.clearProperty(ProviderRegistry.CLASSPATH_PROVIDERS_PROPERTY);
        }
    }

    @Test
    void aProviderIsFoundOnTheClasspathAloneByKindAndId() {
        ClassLoader classpath = ProviderRegistry.class.getClassLoader();
        assertThat(ProviderRegistry.findOnClasspath(ProviderKind.TRANSPORT, "loopback", classpath))
                .map(RegisteredProvider::origin).contains(RegisteredProvider.CLASSPATH);
        assertThat(ProviderRegistry.findOnClasspath(ProviderKind.LLM, "loopback", classpath)).isEmpty();
        assertThat(ProviderRegistry.findOnClasspath(ProviderKind.TRANSPORT, "livekit", classpath)).isEmpty();
    }

    @Test
    void eachBrokenPluginIsReportedAndTheOthersStillLoad() throws IOException {
        Path good = build.providerJar("good.jar", Map.of("good.GoodFactory",
                TestPlugins.llmFactory("good.GoodFactory", "good", "\"fine\"")), List.of(), "good.GoodFactory");
        build.plugin("good").lib(good).writeZip(pluginsDir, "good.zip");

        TestPlugins.write(pluginsDir, "corrupt.zip", "this is not a zip".getBytes(StandardCharsets.UTF_8));
        TestPlugins.write(pluginsDir, "lonely.jar", Files.readAllBytes(good));
        Files.createDirectories(pluginsDir.resolve("no-descriptor/lib"));
        Files.copy(good, pluginsDir.resolve("no-descriptor/lib/good.jar"));
        build.plugin("bad-jar").lib(TestPlugins.write(temp, "truncated.jar", new byte[] {'P', 'K', 3, 4, 0}))
                .writeDirectory(pluginsDir, "bad-jar");
        build.plugin("with-spi").lib(spiCopy()).writeZip(pluginsDir, "with-spi.zip");
        build.plugin("future")
                .property("plugin.requires", ">=0.2.0")
                .lib(build.providerJar("future.jar", Map.of("future.FutureFactory",
                        TestPlugins.llmFactory("future.FutureFactory", "future", "\"later\"")), List.of(), "future.FutureFactory"))
                .writeZip(pluginsDir, "future.zip");
        build.plugin("throws")
                .lib(build.providerJar("throws.jar", Map.of(
                        "boom.BoomFactory", """
                                package boom;
                                public class BoomFactory extends ok.OkFactory {
                                    public BoomFactory() { throw new IllegalStateException("no licence file in /etc/boom"); }
                                }
                                """,
                        "ok.OkFactory", TestPlugins.llmFactory("ok.OkFactory", "ok", "\"ok\"")),
                        List.of(), "boom.BoomFactory", "missing.NoSuchFactory", "ok.OkFactory"))
                .writeZip(pluginsDir, "throws.zip");
        build.plugin("twin")
                .lib(build.providerJar("twin.jar", Map.of("twin.GoodAgain",
                        TestPlugins.llmFactory("twin.GoodAgain", "good", "\"twin\"")), List.of(), "twin.GoodAgain"))
                .writeDirectory(pluginsDir, "twin");
        build.plugin(null).lib(good).writeDirectory(pluginsDir, "anonymous");

        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(registry.loadReport().failures()).map(LoadFailure::toString).containsExactly(
                    "anonymous/: plugin.properties has no plugin.id",
                    "bad-jar/: lib/truncated.jar is not a readable jar (zip END header not found); replace it with a complete copy",
                    "corrupt.zip: not a readable zip file (zip END header not found); replace it with a complete copy of the plugin",
                    "future.zip: plugin 'future' requires SPI version >=0.2.0, but this runtime has SPI 0.1.0; "
                            + "use a version of the plugin built for SPI 0.1.0",
                    "lonely.jar: a lone jar is not a plugin: a plugin is a .zip or a directory with plugin.properties "
                            + "and lib/*.jar (or put the jar on the class path, in the runtime's lib/)",
                    "no-descriptor/: no plugin descriptor: plugin.properties is missing (a plugin holds "
                            + "plugin.properties, with plugin.id and plugin.version, and lib/*.jar)",
                    "throws: provider boom.BoomFactory could not be created: IllegalStateException: no licence file in /etc/boom",
                    "throws: a provider listed in META-INF/services cannot be loaded: ServiceConfigurationError: "
                            + "ai.piopiy.spi.provider.ProviderFactory: Provider missing.NoSuchFactory not found",
                    "with-spi.zip: bundles the Piopiy SPI (lib/piopiy-spi-copy.jar); the SPI comes from the runtime: "
                            + "declare ai.piopiy:piopiy-spi with <scope>provided</scope> and rebuild the plugin",
                    "twin: llm provider 'good' is ignored: plugin 'good' already offers it; remove one of the two");
            assertThat(registry.loadReport().plugins()).extracting(LoadReport.LoadedPlugin::id)
                    .containsExactly("good", "throws", "twin");
            assertThat(answer(registry, "good")).isEqualTo("fine");
            assertThat(answer(registry, "ok")).isEqualTo("ok");
            assertThat(registry.find(ProviderKind.LLM, "future")).isEmpty();
        }
    }

    @Test
    void aZipIsExpandedOnceAndAgainWhenReplaced() throws IOException {
        Path v1 = build.providerJar("v1.jar", Map.of("v.VFactory", TestPlugins.llmFactory("v.VFactory", "v", "\"one\"")),
                List.of(), "v.VFactory");
        Path zip = build.plugin("v").lib(v1).writeZip(pluginsDir, "v.zip");
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(answer(registry, "v")).isEqualTo("one");
        }
        Files.delete(zip);
        Path v2 = build.providerJar("v2.jar", Map.of("v.VFactory", TestPlugins.llmFactory("v.VFactory", "v", "\"two\"")),
                List.of(), "v.VFactory");
        build.plugin("v").lib(v2).writeZip(pluginsDir, "v.zip");
        Files.setLastModifiedTime(zip, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(answer(registry, "v")).isEqualTo("two");
            assertThat(pluginsDir.resolve("v/lib")).isDirectoryContaining("glob:**/v2.jar")
                    .isDirectoryNotContaining("glob:**/v1.jar");
        }
    }

    @Test
    void filesAPluginKeepsInItsDirectoryDoNotMakeTheZipExpandAgain() throws IOException {
        Path jar = build.providerJar("k.jar", Map.of("k.KFactory", TestPlugins.llmFactory("k.KFactory", "k", "\"kept\"")),
                List.of(), "k.KFactory");
        build.plugin("k").lib(jar).writeZip(pluginsDir, "k.zip");
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(answer(registry, "k")).isEqualTo("kept");
        }
        // what a plugin may write next to its lib/: a cache of unpacked native libraries
        Path cache = Files.writeString(Files.createDirectories(pluginsDir.resolve("k/native")).resolve("lib.so"), "cached");
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            assertThat(answer(registry, "k")).isEqualTo("kept");
        }
        assertThat(cache).hasContent("cached");
    }

    /** A jar holding the SPI's ProviderFactory entry, the way a plugin built without 'provided' does. */
    static String answer(ProviderRegistry registry, String llmId) {
        RegisteredProvider provider = registry.find(ProviderKind.LLM, llmId).orElseThrow();
        try (RuntimeProviderContext context = new RuntimeProviderContext(Map.of());
             LlmService llm = (LlmService) provider.create(ProviderConfig.of("pipeline.llm", Map.of(), Map.of()),
                     context.forProvider(llmId))) {
            return LlmAnswers.answer(llm, "hi");
        }
    }

    private Path spiCopy() {
        return build.jar("piopiy-spi-copy.jar", Map.of(), List.of(),
                Map.of(ProviderFactory.class.getName().replace('.', '/') + ".class", "the check looks at entry names"));
    }
}
