package ai.piopiy.runtime.testing;

import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The test providers' {@code start_together} setting: a provider with {@code "start_together": n}
 * finishes creating its service only once {@code n} such providers are being created at the same
 * time. A runtime that creates services one after the other makes the first one fail, so a test
 * sees concurrency itself rather than timing it.
 */
public final class StartRendezvous {

    private static final Map<Integer, CyclicBarrier> BARRIERS = new ConcurrentHashMap<>();

    private StartRendezvous() {}

    /** Waits for the others when the config asks for it. */
    public static void await(ProviderConfig config) {
        int parties = config.integer("start_together", 1);
        if (parties <= 1) {
            return;
        }
        CyclicBarrier barrier = BARRIERS.computeIfAbsent(parties, CyclicBarrier::new);
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (TimeoutException | BrokenBarrierException e) {
            BARRIERS.remove(parties, barrier);
            throw new ConfigException(config.pathOf("start_together"),
                    "the other " + (parties - 1) + " provider(s) were not being created at the same time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
