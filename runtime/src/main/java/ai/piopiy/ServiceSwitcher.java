package ai.piopiy;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.Service;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Several services of one kind under names, one of them current, switchable mid-call: another voice
 * or language for TTS, a fallback LLM, another STT model. Pass it wherever that kind of service goes:
 * it is an {@link SttService}, an {@link LlmService} and a {@link TtsService}, and delegates to the
 * current one (the services must all be of the kind it is used as).
 *
 * <p>What a switch affects: the next LLM request; the next TTS utterance (the one being spoken
 * finishes in the old voice); the STT stream, which is reopened on the new service at the next audio.
 */
public final class ServiceSwitcher<S extends Service> implements SttService, LlmService, TtsService {

    private final Map<String, S> services;
    private volatile String current;
    private volatile int generation;

    public ServiceSwitcher(Map<String, S> services, String defaultService) {
        requireNonNull(services, "services is null");
        requireNonNull(defaultService, "defaultService is null");
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a ServiceSwitcher needs at least one service");
        }
        this.services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        if (!this.services.containsKey(defaultService)) {
            throw new IllegalArgumentException("default service '" + defaultService + "' is not one of " + this.services.keySet());
        }
        this.current = defaultService;
    }

    /** Makes {@code name} the current service. */
    public void switchTo(String name) {
        requireNonNull(name, "name is null");
        if (!services.containsKey(name)) {
            throw new IllegalArgumentException("no service named '" + name + "'; the switcher has " + services.keySet());
        }
        synchronized (this) {
            if (!name.equals(current)) {
                current = name;
                generation++;
            }
        }
    }

    public S currentService() {
        return services.get(current);
    }

    public String currentName() {
        return current;
    }

    public Set<String> names() {
        return services.keySet();
    }

    public Map<String, S> services() {
        return services;
    }

    /** Changes with every switch; processors holding a stream compare it to know when to reopen. */
    public int generation() {
        return generation;
    }

    /** Checks that every service is a {@code type}, so a wrong kind fails when the call is assembled. */
    public void requireKind(Class<?> type, String role) {
        services.forEach((name, s) -> {
            if (!type.isInstance(s)) {
                throw new IllegalArgumentException("the ServiceSwitcher used as " + role + " holds '" + name + "', a "
                        + s.getClass().getSimpleName() + ", which is not a " + type.getSimpleName());
            }
        });
    }

    @Override
    public String name() {
        return "switcher(" + current + ":" + currentService().name() + ")";
    }

    @Override
    public SttStream openStream(SttStreamSpec spec, SttListener listener) {
        return as(SttService.class).openStream(spec, listener);
    }

    @Override
    public LlmStream stream(LlmRequest request, LlmListener listener) {
        return as(LlmService.class).stream(request, listener);
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        return as(TtsService.class).openSession(outputFormat, callId);
    }

    /** Closes every service it holds. */
    @Override
    public void close() {
        for (S s : services.values()) {
            try {
                s.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ServiceSwitcher.class).warn("closing {} failed: {}", s.name(), e.toString());
            }
        }
    }

    private <T> T as(Class<T> type) {
        S s = currentService();
        if (!type.isInstance(s)) {
            throw new IllegalStateException("the current service '" + current + "' (" + s.getClass().getSimpleName()
                    + ") is not a " + type.getSimpleName());
        }
        return type.cast(s);
    }

    @Override
    public String toString() {
        return "ServiceSwitcher[current=" + current + ", services=" + services.keySet() + "]";
    }
}
