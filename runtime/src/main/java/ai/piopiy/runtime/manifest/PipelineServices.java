package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.Service;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.vad.VadService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The services a manifest asks for, created once and shared by every call (a service is
 * thread-safe; per-call state lives in the streams and sessions it opens).
 */
public record PipelineServices(ServiceChoice<SttService> stt, ServiceChoice<LlmService> llm,
                               ServiceChoice<TtsService> tts, Optional<VadService> vad,
                               TransportService transport) implements AutoCloseable {

    public PipelineServices {
        requireNonNull(stt, "stt is null");
        requireNonNull(llm, "llm is null");
        requireNonNull(tts, "tts is null");
        requireNonNull(vad, "vad is null");
        requireNonNull(transport, "transport is null");
    }

    /** Every service, in pipeline order. */
    public List<Service> all() {
        List<Service> all = new ArrayList<>();
        all.addAll(stt.all());
        all.addAll(llm.all());
        all.addAll(tts.all());
        vad.ifPresent(all::add);
        all.add(transport);
        return all;
    }

    /** Closes every service; one that fails to close does not keep the others open. */
    @Override
    public void close() {
        closeAll(all());
    }

    static void closeAll(List<? extends Service> services) {
        RuntimeException first = null;
        for (Service service : services) {
            try {
                service.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
