package ai.piopiy.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * Hands out {@link DeferredLogger}s, keeps what they log until Log4j is started, then starts it once,
 * on a thread of its own, and writes what was kept in the order it was logged.
 */
final class DeferredLoggerFactory implements ILoggerFactory {

    /** Started anyway after this long: a command that never says it started still gets its logs. */
    static final long START_AT_THE_LATEST_MILLIS = 3_000;
    /** Started anyway once this many events wait: the start-up logs far fewer. */
    static final int MAX_KEPT = 10_000;

    /**
     * {@code -Dpiopiy.logging.off=true}: every log call is dropped and Log4j never starts. For the AOT
     * training run, whose cache should hold this binding's classes but not Log4j's, which a real start
     * only loads once it is ready. A call is still formatted and made into what would be kept: the
     * training then loads the classes a real start needs, which the cache would otherwise lack (and a
     * class the cache lacks is looked for in each jar of the class path in turn, opening them).
     */
    static final String OFF_PROPERTY = "piopiy.logging.off";

    private final boolean off = Boolean.getBoolean(OFF_PROPERTY);
    private final ConcurrentMap<String, DeferredLogger> loggers = new ConcurrentHashMap<>();
    private final AtomicBoolean startRequested = new AtomicBoolean();
    private final Object startLock = new Object();
    /** What was logged before Log4j started, in order (guarded by this); null once it has. */
    private List<Kept> kept = new ArrayList<>();
    private volatile LoggerContext context;

    private DeferredLoggerFactory() {}

    static DeferredLoggerFactory create() {
        DeferredLoggerFactory factory = new DeferredLoggerFactory();
        Thread.ofVirtual().name("piopiy-logging-deadline").start(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(START_AT_THE_LATEST_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            factory.startInBackground();
        });
        // nothing kept may be lost when the JVM exits before Log4j started (a short command, a failure)
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("piopiy-logging-flush").unstarted(factory::flush));
        return factory;
    }

    /** The Log4j context once started, else null. */
    LoggerContext context() {
        return context;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new DeferredLogger(n, this, context));
    }

    /** One log call made before Log4j started. */
    private record Kept(DeferredLogger logger, Level level, Marker marker, String text, Throwable thrown,
                        String threadName, long threadId, long millis) {}

    /**
     * Keeps a log call while Log4j has not started; false once it has (then the caller has its Log4j
     * logger and logs there). A call carrying {@link DeferredLog4jServiceProvider#START_MARKER}, a
     * warning or an error starts Log4j.
     */
    boolean keep(DeferredLogger logger, Level level, Marker marker, String format, Object[] args, Throwable thrown) {
        boolean start = !off && (level.toInt() >= Level.WARN.toInt() || marks(marker));
        synchronized (this) {
            if (kept == null) {
                return false;
            }
            Thread thread = Thread.currentThread();
            String text = args == null || args.length == 0 ? format : MessageFormatter.basicArrayFormat(format, args);
            Kept call = new Kept(logger, level, marker, text, thrown, thread.getName(), thread.threadId(),
                    System.currentTimeMillis());
            if (off) {
                return true;
            }
            kept.add(call);
            start |= kept.size() >= MAX_KEPT;
        }
        if (start) {
            startInBackground();
        }
        return true;
    }

    private static boolean marks(Marker marker) {
        return marker != null && (DeferredLog4jServiceProvider.START_MARKER.equals(marker.getName())
                || marker.contains(DeferredLog4jServiceProvider.START_MARKER));
    }

    /** At exit: writes what is kept, if anything (a command that logged nothing never starts Log4j). */
    void flush() {
        if (off) {
            return;
        }
        synchronized (this) {
            if (kept == null || kept.isEmpty()) {
                return;
            }
        }
        start();
    }

    void startInBackground() {
        if (!off && startRequested.compareAndSet(false, true)) {
            Thread.ofPlatform().name("piopiy-logging-start").daemon().start(this::start);
        }
    }

    /**
     * Configures Log4j (the slow part, while logging goes on), then, in one step that log calls wait
     * for, gives every logger its Log4j logger and writes what was kept. Idempotent.
     */
    void start() {
        // one start at a time: a second caller (the exit's flush) must not get the context while the
        // first is still configuring it, which would write with Log4j's default, error-only, configuration
        synchronized (startLock) {
            LoggerContext started = (LoggerContext) LogManager.getContext(DeferredLoggerFactory.class.getClassLoader(), false);
            synchronized (this) {
                if (kept == null) {
                    return;
                }
                context = started;
                for (DeferredLogger logger : loggers.values()) {
                    logger.bind(started);
                }
                for (Kept call : kept) {
                    write(call);
                }
                kept = null;
            }
        }
    }

    private void write(Kept call) {
        org.apache.logging.log4j.core.Logger logger = call.logger().log4j();
        org.apache.logging.log4j.Level level = DeferredLogger.toLog4j(call.level());
        org.apache.logging.log4j.Marker marker = call.marker() == null ? null : MarkerManager.getMarker(call.marker().getName());
        Message message = new SimpleMessage(call.text());
        if (!logger.isEnabled(level, marker, message, call.thrown())) {
            return;
        }
        LogEvent event = Log4jLogEvent.newBuilder()
                .setLoggerName(logger.getName())
                .setLoggerFqcn(DeferredLogger.class.getName())
                .setLevel(level)
                .setMarker(marker)
                .setMessage(message)
                .setThrown(call.thrown())
                .setThreadName(call.threadName())
                .setThreadId(call.threadId())
                .setTimeMillis(call.millis())
                .build();
        logger.get().log(event);
    }
}
