package ai.piopiy.testing;

import java.io.Serial;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An slf4j logger that keeps every line at every level, with the messages of its exception and their
 * causes, so provider tests can wait for work that has no callback and check that no secret was logged.
 * Each line is also passed on to the real logger of the same name, so a failing test still shows its log.
 */
public final class CapturingLogger extends LegacyAbstractLogger {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<String> lines = new CopyOnWriteArrayList<>();
    private final transient Logger output;

    public CapturingLogger(String name) {
        this.name = name;
        this.output = LoggerFactory.getLogger(name);
    }

    /** Every line logged so far, in order: the level, the formatted message, then {@code | cause} for each throwable. */
    public List<String> lines() {
        return lines;
    }

    /** True when some line logged so far contains {@code text}. */
    public boolean contains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** Waits up to 5 s for a line containing {@code text}: the trace of work that has no callback. */
    public void awaitLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line containing \"" + text + "\" within 5 s; lines: " + lines);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Fails when any line logged so far contains one of {@code secrets}. The failure shows the offending
     * line with the secret masked, because a live test's key must not reach the build log either.
     */
    public void assertNeverLogged(String... secrets) {
        for (String line : lines) {
            for (String secret : secrets) {
                if (!secret.isEmpty() && line.contains(secret)) {
                    throw new AssertionError("a secret was logged: " + line.replace(secret, "****"));
                }
            }
        }
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        StringBuilder line = new StringBuilder(level.name()).append(' ').append(message);
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
        output.atLevel(level).setCause(throwable).log(message);
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
