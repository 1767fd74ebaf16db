package ai.piopiy.plugin.ttswebsocket;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/** Base URLs of WebSocket APIs: {@code ws://}, {@code wss://}, {@code http://} or {@code https://}. */
public final class BaseUrls {

    private static final Pattern BASE_URL = Pattern.compile("(?i)(wss?|https?)://[^/?#\\s]+(/\\S*)?");

    private BaseUrls() {}

    /**
     * The URL without a trailing slash.
     *
     * @throws IllegalArgumentException when it is not a ws(s) or http(s) URL with a host
     */
    public static String normalize(String url) {
        if (!BASE_URL.matcher(url).matches()) {
            throw new IllegalArgumentException("expected a ws://, wss://, http:// or https:// URL, got \"" + url + "\"");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A base URL setting, with a path-style error when it is not one. */
    public static String setting(ProviderConfig config, String key, String defaultValue) {
        try {
            return normalize(config.string(key, defaultValue));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.pathOf(key), e.getMessage());
        }
    }

    /** The URL as OkHttp's {@link HttpUrl}, which spells ws as http and wss as https. */
    public static HttpUrl toHttpUrl(String url) {
        return HttpUrl.get(url.replaceFirst("^(?i)ws", "http"));
    }
}
