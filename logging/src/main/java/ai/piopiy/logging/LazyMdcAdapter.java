package ai.piopiy.logging;

import java.util.Deque;
import java.util.Map;
import org.apache.logging.slf4j.Log4jMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * Log4j's MDC adapter, created on the first MDC call. SLF4J asks for the adapter while it binds, at
 * the first logger anyone makes, and creating Log4j's initialises Log4j's thread context and property
 * sources: 50 ms on the start-up's main thread (profiled) for a map a call may never use.
 */
final class LazyMdcAdapter implements MDCAdapter {

    private volatile MDCAdapter log4j;

    private MDCAdapter log4j() {
        MDCAdapter adapter = log4j;
        if (adapter == null) {
            synchronized (this) {
                if (log4j == null) {
                    log4j = new Log4jMDCAdapter();
                }
                adapter = log4j;
            }
        }
        return adapter;
    }

    @Override
    public void put(String key, String val) {
        log4j().put(key, val);
    }

    @Override
    public String get(String key) {
        return log4j == null ? null : log4j().get(key);
    }

    @Override
    public void remove(String key) {
        if (log4j != null) {
            log4j().remove(key);
        }
    }

    @Override
    public void clear() {
        if (log4j != null) {
            log4j().clear();
        }
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
        return log4j().getCopyOfContextMap();
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
        log4j().setContextMap(contextMap);
    }

    @Override
    public void pushByKey(String key, String value) {
        log4j().pushByKey(key, value);
    }

    @Override
    public String popByKey(String key) {
        return log4j().popByKey(key);
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
        return log4j().getCopyOfDequeByKey(key);
    }

    @Override
    public void clearDequeByKey(String key) {
        log4j().clearDequeByKey(key);
    }
}
