package ai.piopiy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** Against the real Log4j: a file appender (log4j2-test.xml) whose lines carry time, thread, level and logger. */
class DeferredLog4jServiceProviderTest {

    private static Path log;

    @BeforeAll
    static void logFile() throws IOException {
        log = Files.createTempFile("piopiy-logging", ".log");
        System.setProperty("piopiy.test.log", log.toString());
    }

    @Test
    void whatIsLoggedBeforeLog4jStartsIsWrittenOnceItHasInOrderWithItsOwnTimeAndThread() throws Exception {
        DeferredLog4jServiceProvider provider = new DeferredLog4jServiceProvider();
        provider.initialize();
        ILoggerFactory loggers = provider.getLoggerFactory();
        Logger early = loggers.getLogger("early");
        Logger quiet = loggers.getLogger("quiet");

        long before = System.currentTimeMillis();
        Thread caller = Thread.ofPlatform().name("caller-1").start(() -> {
            early.info("first {} of {}", 1, 3);
            early.debug("below the configured level");
            quiet.info("below this logger's level");
        });
        caller.join();
        // nothing is written, and nothing started Log4j, before the runtime says it has started
        assertThat(early.isDebugEnabled()).isTrue();
        assertThat(Files.readString(log)).isEmpty();

        Thread.sleep(20);
        early.info(provider.getMarkerFactory().getMarker(DeferredLog4jServiceProvider.START_MARKER), "ready");
        List<String> lines = awaitLines(2);
        assertThat(lines.get(0)).matches("\\d+\\|caller-1\\|INFO\\|early\\|\\|first 1 of 3");
        assertThat(lines.get(1)).matches("\\d+\\|" + Thread.currentThread().getName() + "\\|INFO\\|early\\|"
                + DeferredLog4jServiceProvider.START_MARKER + "\\|ready");
        long firstAt = Long.parseLong(lines.get(0).split("\\|")[0]);
        long readyAt = Long.parseLong(lines.get(1).split("\\|")[0]);
        assertThat(firstAt).isBetween(before, readyAt - 20);

        // once started: levels are Log4j's, and calls go straight through, with their exception
        assertThat(early.isDebugEnabled()).isFalse();
        assertThat(quiet.isInfoEnabled()).isFalse();
        Logger late = loggers.getLogger("late");
        late.warn("after {}", "start", new IllegalStateException("boom"));
        MDC.put("call", "c-1");
        List<String> all = awaitLines(3);
        assertThat(all.get(2)).endsWith("|WARN|late||after start");
        assertThat(Files.readString(log)).contains("java.lang.IllegalStateException: boom");
        assertThat(Files.readString(log)).doesNotContain("below");
        MDC.remove("call");
    }

    @Test
    void offDropsEveryCallAndNeverStartsLog4j() throws Exception {
        System.setProperty(DeferredLoggerFactory.OFF_PROPERTY, "true");
        DeferredLog4jServiceProvider provider;
        try {
            provider = new DeferredLog4jServiceProvider();
            provider.initialize();
        } finally {
            System.clearProperty(DeferredLoggerFactory.OFF_PROPERTY);
        }
        DeferredLoggerFactory loggers = (DeferredLoggerFactory) provider.getLoggerFactory();
        loggers.getLogger("off").error("dropped");
        loggers.getLogger("off").info(provider.getMarkerFactory().getMarker(DeferredLog4jServiceProvider.START_MARKER), "dropped");
        loggers.flush();
        Thread.sleep(100);
        assertThat(loggers.context()).isNull();
    }

    private static List<String> awaitLines(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> l.matches("\\d+\\|.*")).toList();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(10);
        }
    }
}
