package ai.piopiy.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J bound to Log4j2, with Log4j's configuration left until the runtime has started.
 *
 * <p>Configuring Log4j2 (reading {@code log4j2.xml}, building its appenders and layouts through its
 * plugin system) costs about 300 ms of CPU at start-up (profiled), as much as everything else the
 * runtime does before its first call can come, on the two cores both share. So until the runtime
 * says it has started ({@link #START_MARKER}), or a warning comes, or 3 s have passed, or the JVM
 * exits, log calls are kept, with their time and thread, and written in order once Log4j is up;
 * nothing waits for Log4j meanwhile. Afterwards every call goes straight to Log4j.
 *
 * <p>Selected by {@code -Dslf4j.provider=ai.piopiy.logging.DeferredLog4jServiceProvider} ({@code
 * bin/piopiy} does); this jar does not register itself, so on a plain class path next to
 * log4j-slf4j2-impl it changes nothing.
 */
public final class DeferredLog4jServiceProvider implements SLF4JServiceProvider {

    /**
     * The name of the SLF4J marker that starts Log4j: an event carrying it says the runtime has
     * started (the {@code piopiy} command logs its "ready" line with it). Without this provider it is
     * an ordinary marker.
     */
    public static final String START_MARKER = "piopiy.logging.start";

    private static final String LOG4J_SHUTDOWN_HOOK = "log4j2.shutdownHookEnabled";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private volatile DeferredLoggerFactory loggers;
    private final MDCAdapter mdc = new LazyMdcAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        // Log4j's thread context, which its layouts read (%X)
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Log4j may be started by the exit's flush, when it can no longer register a shutdown hook of its
        // own; it needs none (log4j2.xml disables it too): the flush writes what is kept
        if (System.getProperty(LOG4J_SHUTDOWN_HOOK) == null) {
            System.setProperty(LOG4J_SHUTDOWN_HOOK, "false");
        }
        loggers = DeferredLoggerFactory.create();
    }
}
