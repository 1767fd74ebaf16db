package ai.piopiy.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.tts.TtsService;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
            assertThat(answer(llm, "book a table")).isEqualTo("Echo: book a table");
            ServiceChoice.Alternatives<TtsService> tts = (ServiceChoice.Alternatives<TtsService>) services.tts();
            assertThat(tts.defaultName()).isEqualTo("english");
            assertThat(tts.services()).containsOnlyKeys("english", "spanish");
            assertThat(services.vad()).isPresent();
            assertThat(services.all()).hasSize(6);
        }
    }

    @Test
    void providerSettingsAreValidatedByTheProvidersAndReportedWithTheManifestsOwnErrors() {
        String json = TestManifests.FULL
                .replace("\"greeting\": \"Hello!\"", "\"greeting\": [\"Hello!\"]")
                .replace("{\"provider\": \"scripted\", \"transcripts\": [\"hello there\"], \"language\": \"en\"}",
                        "{\"provider\": \"scripted\", \"language\": \"en\"}")
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

    static String answer(LlmService llm, String said) {
        StringBuilder text = new StringBuilder();
        llm.stream(new LlmRequest(List.of(LlmMessage.user(said)), List.of()), new LlmListener() {
            @Override
            public void onText(String t) {
                text.append(t);
            }

            @Override
            public void onToolCall(ToolCall call) {}

            @Override
            public void onComplete() {}

            @Override
            public void onError(ServiceException error) {
                throw error;
            }
        });
        return text.toString();
    }
}
