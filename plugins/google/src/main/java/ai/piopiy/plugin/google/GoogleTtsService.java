package ai.piopiy.plugin.google;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.internal.Authorization;
import ai.piopiy.plugin.google.internal.HttpClients;
import ai.piopiy.plugin.google.internal.SynthesizeUtterance;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import okhttp3.OkHttpClient;

/**
 * Google Cloud Text-to-Speech over REST: each sentence is one {@code text:synthesize} request for
 * LINEAR16 at the session's rate. All calls share one HTTP client and one access token.
 */
public final class GoogleTtsService implements TtsService {

    public static final String NAME = "google-tts";

    private final GoogleTtsConfig config;
    private final ProviderContext context;
    private final OkHttpClient http;
    private final Authorization authorization;

    public GoogleTtsService(GoogleTtsConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.http = HttpClients.create();
        this.authorization = HttpClients.authorization(NAME, config.credentials(), http, context);
    }

    public GoogleTtsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TtsSession openSession(AudioFormat outputFormat, String callId) {
        requireNonNull(outputFormat, "outputFormat is null");
        requireNonNull(callId, "callId is null");
        return new TtsSession() {
            @Override
            public SynthesizeUtterance startUtterance(TtsListener listener) {
                return new SynthesizeUtterance(NAME, config, http, authorization, context, outputFormat.sampleRate(), listener);
            }

            @Override
            public void close() {
                // the HTTP client is the service's, shared by every call
            }
        };
    }

    @Override
    public void close() {
        HttpClients.close(http);
    }
}
