package ai.piopiy.cli;

import java.math.BigDecimal;
import okhttp3.OkHttpClient;

/**
 * Initialises, each on a thread of its own as {@code run} starts, two classes whose initialisation is
 * slow with nothing compiled yet and which the way to ready for calls waits for otherwise:
 * <ul>
 *   <li>JDK 25's {@link BigDecimal}, which squares large numbers for a table (25-40 ms); Jackson's parser,
 *       reading the manifest, has BigDecimal constants;
 *   <li>OkHttp's platform, which its client builder looks up and which makes the JDK create every
 *       security provider (30-40 ms); the signaling connection, the last step before ready, builds a
 *       client.
 * </ul>
 * The main thread reads the manifest meanwhile; a thread that needs one of these classes before it is
 * ready waits for it, as class initialisation does. Measured with paired runs of {@code bench/w3-run.sh}:
 * ready 20-25 ms sooner for each class moved off the main thread's way.
 */
final class ClassInitWarmUp {

    private ClassInitWarmUp() {}

    static void start() {
        Thread.ofPlatform().name("piopiy-init-okhttp").daemon().start(() -> new OkHttpClient.Builder());
        // a lambda, not BigDecimal.ONE::signum, which would read BigDecimal.ONE here, on the caller's thread
        Thread.ofPlatform().name("piopiy-init-bigdecimal").daemon().start(() -> BigDecimal.ONE.signum());
    }
}
