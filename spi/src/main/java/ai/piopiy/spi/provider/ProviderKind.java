package ai.piopiy.spi.provider;

import ai.piopiy.spi.Service;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.vad.VadService;

/** What a provider provides, and the service type its factory returns. */
public enum ProviderKind {
    STT("stt", SttService.class),
    LLM("llm", LlmService.class),
    TTS("tts", TtsService.class),
    VAD("vad", VadService.class),
    TRANSPORT("transport", TransportService.class);

    private final String key;
    private final Class<? extends Service> serviceType;

    ProviderKind(String key, Class<? extends Service> serviceType) {
        this.key = key;
        this.serviceType = serviceType;
    }

    /** The lowercase name used in manifests and listings ({@code stt}, {@code llm}, ...). */
    public String key() {
        return key;
    }

    public Class<? extends Service> serviceType() {
        return serviceType;
    }
}
