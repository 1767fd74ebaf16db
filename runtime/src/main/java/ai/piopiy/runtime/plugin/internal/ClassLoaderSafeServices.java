package ai.piopiy.runtime.plugin.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.Service;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.spi.vad.VadSession;

/**
 * Wrappers that run every call into a plugin's service, and into the streams and sessions it opens,
 * with the thread context class loader set to the plugin's loader (Trino's {@code ClassLoaderSafe*}).
 * Callbacks from the plugin into the runtime (listeners) are runtime code and are not wrapped.
 */
public final class ClassLoaderSafeServices {

    private ClassLoaderSafeServices() {}

    /**
     * Wraps {@code service}, which a factory of {@code kind} made and so implements that kind's
     * service type, so that calls into it run with {@code loader} as context class loader.
     */
    public static Service wrap(ProviderKind kind, Service service, ClassLoader loader) {
        requireNonNull(kind, "kind is null");
        requireNonNull(service, "service is null");
        requireNonNull(loader, "loader is null");
        return switch (kind) {
            case STT -> new SafeStt((SttService) service, loader);
            case LLM -> new SafeLlm((LlmService) service, loader);
            case TTS -> new SafeTts((TtsService) service, loader);
            case VAD -> new SafeVad((VadService) service, loader);
            case TRANSPORT -> new SafeTransport((TransportService) service, loader);
        };
    }

    private record SafeStt(SttService delegate, ClassLoader loader) implements SttService {
        @Override
        public SttStream openStream(SttStreamSpec spec, SttListener listener) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return new SafeSttStream(delegate.openStream(spec, listener), loader);
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void prewarm() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.prewarm();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeSttStream(SttStream delegate, ClassLoader loader) implements SttStream {
        @Override
        public void sendAudio(byte[] pcm, int offset, int length) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.sendAudio(pcm, offset, length);
            }
        }

        @Override
        public void userStartedSpeaking() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.userStartedSpeaking();
            }
        }

        @Override
        public void userStoppedSpeaking() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.userStoppedSpeaking();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeLlm(LlmService delegate, ClassLoader loader) implements LlmService {
        @Override
        public LlmStream stream(LlmRequest request, LlmListener listener) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                LlmStream stream = delegate.stream(request, listener);
                return () -> {
                    try (var _ = new ThreadContextClassLoader(loader)) {
                        stream.cancel();
                    }
                };
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void prewarm() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.prewarm();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeTts(TtsService delegate, ClassLoader loader) implements TtsService {
        @Override
        public TtsSession openSession(AudioFormat outputFormat, String callId) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return new SafeTtsSession(delegate.openSession(outputFormat, callId), loader);
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void prewarm() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.prewarm();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeTtsSession(TtsSession delegate, ClassLoader loader) implements TtsSession {
        @Override
        public TtsUtterance startUtterance(TtsListener listener) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return new SafeTtsUtterance(delegate.startUtterance(listener), loader);
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeTtsUtterance(TtsUtterance delegate, ClassLoader loader) implements TtsUtterance {
        @Override
        public void sendText(String text) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.sendText(text);
            }
        }

        @Override
        public void finish() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.finish();
            }
        }

        @Override
        public void cancel() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.cancel();
            }
        }
    }

    private record SafeVad(VadService delegate, ClassLoader loader) implements VadService {
        @Override
        public boolean supportsSampleRate(int sampleRate) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return delegate.supportsSampleRate(sampleRate);
            }
        }

        @Override
        public int preferredSampleRate() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return delegate.preferredSampleRate();
            }
        }

        @Override
        public VadSession openSession(int sampleRate) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return new SafeVadSession(delegate.openSession(sampleRate), loader);
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void prewarm() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.prewarm();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeVadSession(VadSession delegate, ClassLoader loader) implements VadSession {
        @Override
        public int windowSamples() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return delegate.windowSamples();
            }
        }

        @Override
        public float speechProbability(short[] window) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return delegate.speechProbability(window);
            }
        }

        @Override
        public void reset() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.reset();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeTransport(TransportService delegate, ClassLoader loader) implements TransportService {
        @Override
        public CallTransport open(CallInfo call) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return new SafeCallTransport(delegate.open(call), loader);
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void prewarm() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.prewarm();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }

    private record SafeCallTransport(CallTransport delegate, ClassLoader loader) implements CallTransport {
        @Override
        public AudioFormat inputFormat() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return delegate.inputFormat();
            }
        }

        @Override
        public AudioFormat outputFormat() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                return delegate.outputFormat();
            }
        }

        @Override
        public void start(TransportListener listener) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.start(listener);
            }
        }

        @Override
        public void writeAudio(byte[] pcm, int offset, int length) {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.writeAudio(pcm, offset, length);
            }
        }

        @Override
        public void clearOutput() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.clearOutput();
            }
        }

        @Override
        public void close() {
            try (var _ = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }
    }
}
