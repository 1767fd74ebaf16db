package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.distribution.TestDistribution.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every first-party plugin in one distribution's plugins/ at once, as a user who installs them all
 * would have it: each loads behind its own class loader next to the others (they bundle their own
 * OkHttp, Jackson, ONNX Runtime...), offers the providers it should, and every provider can be
 * created in the same process.
 */
class AllPluginsIT {

    private static final String KEY = "\"api_key\": \"not-a-real-key\"";
    private static final String AZURE = KEY + ", \"region\": \"westeurope\"";
    /** google-stt takes only a service account, whose key it checks at startup (it signs its token requests). */
    private static final String GOOGLE_SERVICE_ACCOUNT = "\"credentials\": {\"type\": \"service_account\", "
            + "\"client_email\": \"it@piopiy-it.iam.gserviceaccount.com\", \"private_key\": \"" + privateKeyPem() + "\"}";

    /**
     * Every first-party provider: the plugin offering it (as {@code piopiy plugins} names it), its
     * kind and id, and the settings it is created with (null: it refuses to start by design). A new
     * plugin is its test dependency in distribution/pom.xml plus a line here per provider.
     */
    static final List<Provider> PROVIDERS = List.of(
            new Provider("anthropic", "llm", "anthropic", KEY),
            new Provider("assemblyai", "stt", "assemblyai", KEY),
            new Provider("azure", "stt", "azure-stt", AZURE),
            new Provider("azure", "tts", "azure-tts", AZURE),
            new Provider("cartesia", "tts", "cartesia", KEY),
            new Provider("deepgram", "stt", "deepgram", KEY),
            new Provider("deepgram", "tts", "deepgram-tts", KEY),
            new Provider("elevenlabs", "tts", "elevenlabs", KEY),
            new Provider("espeak", "tts", "espeak", ""),
            new Provider("google", "stt", "google-stt", GOOGLE_SERVICE_ACCOUNT),
            new Provider("google", "tts", "google-tts", KEY),
            new Provider("google-llm", "llm", "google-llm", KEY),
            new Provider("livekit", "transport", "livekit", ""),
            new Provider("openai", "stt", "whisper", KEY),
            new Provider("openai", "llm", "groq", KEY),
            new Provider("openai", "llm", "ollama", ""),
            new Provider("openai", "llm", "openai", KEY),
            new Provider("openai", "tts", "openai-tts", KEY),
            new Provider("openai", "tts", "playht", null),
            new Provider("pocketsphinx", "stt", "pocketsphinx", ""),
            new Provider("scripted", "llm", "scripted", "\"rules\": [{\"match\": \".*\", \"reply\": \"Fine.\"}]"),
            new Provider("silero", "vad", "silero", ""),
            new Provider("simulated-caller", "transport", "simulated-caller", "\"lines\": [{\"say\": \"hello\"}]"));

    record Provider(String plugin, String kind, String id, String settings) {
        String json() {
            return "{\"provider\": \"" + id + "\"" + (settings.isEmpty() ? "" : ", " + settings) + "}";
        }
    }

    @TempDir
    static Path work;

    static Path home;

    @BeforeAll
    static void installEveryPlugin() throws Exception {
        home = TestDistribution.unpack(work);
        for (Path zip : TestDistribution.allPluginZips()) {
            Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
        }
    }

    @Test
    void everyPluginModuleIsInstalled() throws Exception {
        // a plugin module (one that sets plugin.id) the distribution's tests do not depend on would go untested here
        Path plugins = Path.of(System.getProperty("piopiy.root")).resolve("plugins");
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(plugins.resolve("pom.xml")));
        List<String> pluginModules = new ArrayList<>();
        while (modules.find()) {
            if (Files.readString(plugins.resolve(modules.group(1)).resolve("pom.xml")).contains("<plugin.id>")) {
                pluginModules.add(modules.group(1));
            }
        }
        assertThat(pluginModules).isNotEmpty().allSatisfy(TestDistribution::pluginZip);
        assertThat(TestDistribution.allPluginZips()).hasSameSizeAs(pluginModules);
    }

    @Test
    void pluginsListsEveryProviderUnderItsPluginAndNoFailure() throws Exception {
        Result r = TestDistribution.piopiy(home, Map.of(), work, "plugins");

        assertThat(r.out()).doesNotContain("Failed to load");
        assertThat(r.err()).doesNotContain("ERROR", "Exception");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        // "<plugin> <version> - <description>", then "  <kind> <id>  <description>" per provider
        List<String> listed = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        String plugin = null;
        for (String line : r.out().lines().toList()) {
            Matcher header = Pattern.compile("^(\\S+) \\d+\\.\\d+\\.\\d+\\S* - .*").matcher(line);
            Matcher provider = Pattern.compile("^  (\\S+)\\s+(\\S+)(\\s.*)?$").matcher(line);
            if (header.matches()) {
                plugin = header.group(1);
                loaded.add(plugin);
            } else if (provider.matches() && plugin != null) {
                listed.add(plugin + " " + provider.group(1) + " " + provider.group(2));
            }
        }
        assertThat(loaded).hasSameSizeAs(TestDistribution.allPluginZips());
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                PROVIDERS.stream().map(p -> p.plugin() + " " + p.kind() + " " + p.id()).toList());
    }

    @Test
    void aManifestCreatingEveryProviderAtOnceIsValid() throws Exception {
        // the single-provider kinds take turns, one manifest each; stt, llm and tts put all theirs in a switch
        List<Provider> vads = ofKind("vad");
        List<Provider> transports = ofKind("transport");
        for (int round = 0; round < Math.max(vads.size(), transports.size()); round++) {
            String manifest = """
                    {
                      "agent": {"id": "it-agent", "token": "not-used"},
                      "pipeline": {
                        "instructions": "Every provider at once.",
                        "stt": %s,
                        "llm": %s,
                        "tts": %s,
                        "vad": %s
                      },
                      "transport": %s
                    }
                    """.formatted(switchOf("stt"), switchOf("llm"), switchOf("tts"),
                    vads.get(round % vads.size()).json(), transports.get(round % transports.size()).json());
            Path file = Files.writeString(work.resolve("every-" + round + ".json"), manifest);
            Result r = TestDistribution.piopiy(home, Map.of(), work, "validate", file.toString());

            assertThat(r.code()).as(manifest + r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(file.getFileName() + " is valid: ");
        }
    }

    /** A fresh RSA key in PKCS#8 PEM, with its line breaks escaped for a JSON string. */
    private static String privateKeyPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            return ("-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n").replace("\n", "\\n");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String switchOf(String kind) {
        List<Provider> providers = ofKind(kind);
        String services = providers.stream().map(p -> "\"" + p.id() + "\": " + p.json()).collect(Collectors.joining(", "));
        return "{\"switch\": {\"default\": \"" + providers.getFirst().id() + "\", \"services\": {" + services + "}}}";
    }

    private static List<Provider> ofKind(String kind) {
        return PROVIDERS.stream().filter(p -> p.kind().equals(kind) && p.settings() != null).toList();
    }
}
