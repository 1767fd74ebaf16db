package ai.piopiy.cli;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads the JDK's trusted certificates on a thread of its own once {@code run} is ready for calls.
 *
 * <p>Every HTTP client a provider builds (OkHttp in each plugin) asks the JDK for its default trust
 * manager, which parses the {@code cacerts} store: about 150 certificates, 100-200 ms of CPU with
 * nothing compiled yet (profiled). The first-party providers build their clients on their first call,
 * so the start-up does not pay for it (nor does a plain-text signaling connection); this reads the
 * store while the agent waits for that call. The JDK keeps the parsed certificates only weakly, so
 * this object holds the trust manager until closed.
 */
final class TlsWarmUp implements AutoCloseable {

    private volatile TrustManager[] trustManagers;

    private TlsWarmUp() {
        Thread.ofPlatform().name("piopiy-tls-start").daemon().start(this::warmUp);
    }

    static TlsWarmUp start() {
        return new TlsWarmUp();
    }

    private void warmUp() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            TrustManager[] managers = factory.getTrustManagers();
            SSLContext.getInstance("TLS").init(null, managers, null);
            trustManagers = managers;
        } catch (GeneralSecurityException | RuntimeException e) {
            // only a head start: whoever needs TLS later meets the same problem and reports it
        }
    }

    /** Lets the certificates go (the clients built meanwhile hold their own trust managers). */
    @Override
    public void close() {
        trustManagers = null;
    }
}
