package ai.piopiy.plugin.livekit;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.livekit.internal.LiveKitCall;
import ai.piopiy.plugin.livekit.internal.SignalClient;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Joins each call's LiveKit room as the agent: the room URL and access token come with the call's invite
 * ({@link CallInfo#url()}, {@link CallInfo#token()}). One OkHttp client serves every call's signaling; each
 * call has its own WebRTC audio module and peer connection factory.
 */
public final class LiveKitTransportService implements TransportService {

    private final LiveKitConfig config;
    private final ProviderContext context;
    /** Built for the first call: building reads the JDK's certificates, which start-up does not need. */
    private final OkHttpClient.Builder httpBuilder;
    private OkHttpClient http; // guarded by this

    public LiveKitTransportService(LiveKitConfig config, ProviderContext context) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        // no read timeout: the socket is quiet between pings, and the client's ping timeout watches it instead
        this.httpBuilder = new OkHttpClient.Builder().readTimeout(0, TimeUnit.MILLISECONDS).connectTimeout(config.joinTimeout());
    }

    private synchronized OkHttpClient http() {
        if (http == null) {
            http = httpBuilder.build();
        }
        return http;
    }

    public LiveKitConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "livekit";
    }

    /** Joins the room; blocks until the agent is in it with its track published, or throws a {@link ServiceException}. */
    @Override
    public CallTransport open(CallInfo call) {
        requireNonNull(call, "call is null");
        if (call.url() == null || call.url().isBlank()) {
            throw new ServiceException(name(), "call " + call.callId() + " has no media room URL", true, null);
        }
        if (call.token() == null || call.token().isBlank()) {
            throw new ServiceException(name(), "call " + call.callId() + " has no room access token", true, null);
        }
        try {
            SignalClient.rtcUrl(call.url());
        } catch (IllegalArgumentException e) {
            throw new ServiceException(name(), "call " + call.callId() + ": " + e.getMessage(), true, e);
        }
        return LiveKitCall.open(http(), config, context, call);
    }

    @Override
    public void close() {
        OkHttpClient built;
        synchronized (this) {
            built = http;
        }
        if (built != null) {
            built.dispatcher().executorService().shutdown();
            built.connectionPool().evictAll();
        }
    }
}
