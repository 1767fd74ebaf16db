package ai.piopiy.logging;

import java.io.Serial;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * An SLF4J logger that is kept by its {@link DeferredLoggerFactory} until Log4j has started, then
 * logs to its Log4j logger (taken from the one context the factory started, so plugins' class
 * loaders never get Log4j contexts of their own).
 */
final class DeferredLogger extends LegacyAbstractLogger {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient DeferredLoggerFactory factory;
    private transient volatile org.apache.logging.log4j.core.Logger log4j;

    DeferredLogger(String name, DeferredLoggerFactory factory, LoggerContext started) {
        this.name = name;
        this.factory = factory;
        if (started != null) {
            bind(started);
        }
    }

    void bind(LoggerContext context) {
        log4j = context.getLogger(name);
    }

    org.apache.logging.log4j.core.Logger log4j() {
        return log4j;
    }

    static org.apache.logging.log4j.Level toLog4j(Level level) {
        return switch (level) {
            case TRACE -> org.apache.logging.log4j.Level.TRACE;
            case DEBUG -> org.apache.logging.log4j.Level.DEBUG;
            case INFO -> org.apache.logging.log4j.Level.INFO;
            case WARN -> org.apache.logging.log4j.Level.WARN;
            case ERROR -> org.apache.logging.log4j.Level.ERROR;
        };
    }

    /** The Log4j logger, or null while Log4j has not started. */
    private org.apache.logging.log4j.core.Logger current() {
        org.apache.logging.log4j.core.Logger logger = log4j;
        if (logger == null) {
            // made while the factory was starting Log4j, and so missed by it
            LoggerContext started = factory.context();
            if (started != null) {
                bind(started);
                logger = log4j;
            }
        }
        return logger;
    }

    /** Before Log4j starts every level is kept: Log4j's configuration decides when they are written. */
    private boolean enabled(org.apache.logging.log4j.Level level) {
        org.apache.logging.log4j.core.Logger logger = current();
        return logger == null || logger.isEnabled(level);
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(org.apache.logging.log4j.Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(org.apache.logging.log4j.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(org.apache.logging.log4j.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(org.apache.logging.log4j.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(org.apache.logging.log4j.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return DeferredLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String format, Object[] args, Throwable thrown) {
        if (current() == null && factory.keep(this, level, marker, format, args, thrown)) {
            return;
        }
        org.apache.logging.log4j.Level log4jLevel = toLog4j(level);
        org.apache.logging.log4j.Marker log4jMarker = marker == null ? null : MarkerManager.getMarker(marker.getName());
        org.apache.logging.log4j.core.Logger logger = current();
        if (logger.isEnabled(log4jLevel, log4jMarker)) {
            logger.logMessage(getFullyQualifiedCallerName(), log4jLevel, log4jMarker,
                    new ParameterizedMessage(format, args, thrown), thrown);
        }
    }
}
