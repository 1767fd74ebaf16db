package ai.piopiy.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.runtime.testing.LlmAnswers;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.tts.TtsService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CallAssemblerTest {

    @TempDir
    Path pluginsDir;

    private ProviderRegistry registry;
    private RuntimeProviderContext context;

    @BeforeEach
    void setUp() {
        registry = ProviderRegistry.load(pluginsDir);
        context = new RuntimeProviderContext(TestManifests.ENV);
    }

    @AfterEach
    void tearDown() {
        context.close();
        registry.close();
    }

    @Test
    void createsEachServiceOnceFromItsProvider() {
        try (CallAssembler assembler = CallAssembler.builder(registry, context).load("agent.json", TestManifests.FULL)) {
            PipelineServices services = assembler.services();
            LlmService llm = ((ServiceChoice.One<LlmService>) services.llm()).service();
            assertThat(LlmAnswers.answer(llm, "book a table")).isEqualTo("Echo: book a table");
            ServiceChoice.Alternatives<TtsService> tts = (ServiceChoice.Alternatives<TtsService>) services.tts();
            assertThat(tts.defaultName()).isEqualTo("english");
            assertThat(tts.services()).containsOnlyKeys("english", "spanish");
            assertThat(services.vad()).isPresent();
            assertThat(services.all()).hasSize(6);
        }
    }

    @Test
    @Timeout(30)
    void theServicesAreCreatedAtTheSameTime() {
        // each of these four only finishes starting while the other three are starting too
        String json = TestManifests.FULL
                .replace("\"ms_per_word\": 100", "\"ms_per_word\": 100, \"start_together\": 4")
                .replace("\"prefix\": \"Echo: \"", "\"prefix\": \"Echo: \", \"start_together\": 4")
                .replace("\"frequency_hz\": 440}", "\"frequency_hz\": 440, \"start_together\": 4}")
                .replace("\"frequency_hz\": 523.25}", "\"frequency_hz\": 523.25, \"start_together\": 4}");
        try (CallAssembler assembler = CallAssembler.builder(registry, context).load("agent.json", json)) {
            assertThat(assembler.services().all()).hasSize(6);
        }
    }

    @Test
    @Timeout(30)
    void eachCallGetsItsOwnAgentAndSwitchersAndRunsTheWholeCall() throws Exception {
        try (CallAssembler assembler = CallAssembler.builder(registry, context).load("agent.json", TestManifests.FULL)) {
            AssembledCall first = assembler.newCall(new CallInfo("call-1", "agent-7", "+15550001", "+15550002",
                    null, null, null, Map.of()));
            AssembledCall second = assembler.newCall(new CallInfo("call-2", "agent-7", null, null, null, null, null, Map.of()));
            assertThat(first.agent()).isNotSameAs(second.agent());
            ServiceSwitcher<?> firstTts = first.switcher(ProviderKind.TTS).orElseThrow();
            assertThat(firstTts).isNotSameAs(second.switcher(ProviderKind.TTS).orElseThrow());
            firstTts.switchTo("spanish");
            assertThat(second.switcher(ProviderKind.TTS).orElseThrow().currentName()).isEqualTo("english");
            assertThat(first.switcher(ProviderKind.LLM)).isEmpty();

            CallOutcome outcome = second.agent().start();

            assertThat(outcome.reason()).contains("caller left");
            assertThat(second.agent().conversation()).containsExactly(
                    LlmMessage.system("You are a helpful agent. Prices are in ${CURRENCY}."),
                    LlmMessage.user("Hi"),
                    LlmMessage.assistant("Hello, how can I help?"),
                    LlmMessage.assistant("Hello!"),
                    LlmMessage.user("hello there"),
                    LlmMessage.assistant("Echo: hello there"));
        }
    }

    @Test
    void toolHandlersAreBuiltInOrBoundInCodeAndEveryToolNeedsOne() {
        String json = TestManifests.FULL.replace("{\"name\": \"current_time\"",
                "{\"name\": \"book_table\", \"description\": \"Books a table\"}, {\"name\": \"current_time\"");
        assertThatThrownBy(() -> CallAssembler.builder(registry, context).tool("cancel_booking", args -> "{}").load("agent.json", json))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors()).map(ManifestError::toString)
                        .containsExactly(
                                "pipeline.tools[0].handler: tool 'book_table' has no handler: name a built-in (current_time, "
                                        + "switch_llm, switch_stt, switch_tts) or bind one in code with CallAssembler.Builder.tool",
                                "pipeline.tools: a handler is bound for tool 'cancel_booking', which the manifest does not declare"));

        try (CallAssembler assembler = CallAssembler.builder(registry, context).tool("book_table", args -> "{\"booked\":true}")
                .load("agent.json", json)) {
            assertThat(assembler.manifest().pipeline().tools()).hasSize(3);
        }
    }

    @Test
    void builtInHandlersWork() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T16:30:00Z"), ZoneOffset.UTC);
        assertThat(BuiltinTools.currentTime(clock).handle("{\"time_zone\": \"Asia/Kolkata\"}"))
                .isEqualTo("{\"time_zone\":\"Asia/Kolkata\",\"local_time\":\"2026-11-25T22:00:00+05:30\",\"weekday\":\"Wednesday\"}");
        assertThat(BuiltinTools.currentTime(clock).handle("{}"))
                .isEqualTo("{\"time_zone\":\"UTC\",\"local_time\":\"2026-11-25T16:30:00Z\",\"weekday\":\"Wednesday\"}");
        assertThat(BuiltinTools.currentTime(clock).handle("{\"time_zone\": \"Mars/Olympus\"}"))
                .isEqualTo("{\"error\":\"unknown time zone; use an IANA name such as Europe/Paris\"}");

        try (CallAssembler assembler = CallAssembler.builder(registry, context).load("agent.json", TestManifests.FULL)) {
            ServiceSwitcher<?> tts = assembler.newCall(new CallInfo("c", null, null, null, null, null, null, Map.of()))
                    .switcher(ProviderKind.TTS).orElseThrow();
            assertThat(BuiltinTools.switchService(tts).handle("{\"name\": \"spanish\"}")).isEqualTo("{\"switched_to\":\"spanish\"}");
            assertThat(tts.currentName()).isEqualTo("spanish");
            assertThat(BuiltinTools.switchService(tts).handle("{\"name\": \"klingon\"}"))
                    .isEqualTo("{\"error\":\"name must be one of english, spanish\"}");
        }
    }

    @Test
    void providerSettingsAreValidatedByTheProvidersAndReportedWithTheManifestsOwnErrors() {
        String json = TestManifests.FULL
                .replace("\"greeting\": \"Hello!\"", "\"greeting\": [\"Hello!\"]")
                .replace("\"transcripts\": [\"hello there\"], ", "")
                .replace("\"prefix\": \"Echo: \"", "\"prefix\": \"Echo: \", \"temprature\": 0.2")
                .replace("\"frequency_hz\": 523.25", "\"frequency_hz\": \"loud\"")
                .replace("\"provider\": \"energy\"", "\"provider\": \"enrgy\"")
                .replace("\"provider\": \"loopback\"", "\"provider\": \"livekit\"");
        assertThatThrownBy(() -> CallAssembler.builder(registry, context).load("agent.json", json))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors()).map(ManifestError::toString)
                        .containsExactly(
                                "pipeline.greeting: expected a string but got a list",
                                "pipeline.stt.transcripts: missing; expected a non-empty list of strings",
                                "pipeline.llm.temprature: unknown setting of llm provider 'echo'",
                                "pipeline.tts.switch.services.spanish.frequency_hz: expected a number but got the string \"loud\"",
                                "pipeline.vad.provider: unknown vad provider 'enrgy'; did you mean energy? "
                                        + "the loaded plugins offer: energy",
                                "transport.provider: unknown transport provider 'livekit'; the loaded plugins offer: loopback"));
    }

    @Test
    void aKindWithoutAnyProviderSaysWhereToPutAPlugin() {
        String json = TestManifests.FULL.replace("\"provider\": \"loopback\"", "\"provider\": \"livekit\"");
        try (ProviderRegistry empty = ProviderRegistry.load(pluginsDir, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> CallAssembler.builder(empty, context).load("agent.json", json))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.errors()).map(ManifestError::toString)
                            .contains("transport.provider: unknown transport provider 'livekit'; no transport provider is "
                                    + "loaded (add a plugin offering one to " + pluginsDir + ")"));
        }
    }
}
