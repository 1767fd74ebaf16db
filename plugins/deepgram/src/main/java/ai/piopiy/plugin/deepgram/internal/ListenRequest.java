package ai.piopiy.plugin.deepgram.internal;

import ai.piopiy.plugin.deepgram.DeepgramSttConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** The WebSocket upgrade request for {@code /v1/listen}: query parameters and the {@code Token} header. */
public final class ListenRequest {

    private ListenRequest() {}

    /**
     * @param sampleRate the stream's rate; the audio is always linear16 mono, Piopiy's one audio format
     */
    public static Request of(DeepgramSttConfig config, int sampleRate) {
        HttpUrl.Builder url = HttpUrl.get(httpScheme(config.url())).newBuilder()
                .addQueryParameter("model", config.model())
                .addQueryParameter("language", config.language())
                .addQueryParameter("encoding", "linear16")
                .addQueryParameter("sample_rate", Integer.toString(sampleRate))
                .addQueryParameter("channels", "1")
                .addQueryParameter("interim_results", Boolean.toString(config.interimResults()))
                .addQueryParameter("punctuate", Boolean.toString(config.punctuate()))
                .addQueryParameter("smart_format", Boolean.toString(config.smartFormat()))
                .addQueryParameter("endpointing",
                        config.endpointingMs() == 0 ? "false" : Integer.toString(config.endpointingMs()))
                .addQueryParameter("vad_events", Boolean.toString(config.vadEvents()));
        if (config.utteranceEndMs() > 0) {
            url.addQueryParameter("utterance_end_ms", Integer.toString(config.utteranceEndMs()));
        }
        for (Map.Entry<String, List<String>> param : config.params().entrySet()) {
            for (String value : param.getValue()) {
                url.addQueryParameter(param.getKey(), value);
            }
        }
        return new Request.Builder()
                .url(url.build())
                .header("Authorization", "Token " + config.apiKey().reveal())
                .build();
    }

    // HttpUrl knows only http and https; OkHttp turns them back into a WebSocket upgrade
    private static String httpScheme(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ws:")) {
            return "http:" + url.substring(3);
        }
        if (lower.startsWith("wss:")) {
            return "https:" + url.substring(4);
        }
        return url;
    }
}
