package ai.piopiy.cli;

import java.math.BigDecimal;
import okhttp3.OkHttpClient;

/**
 * Initialises, on a thread of its own as {@code run} starts, two classes whose initialisation is slow
 * with nothing compiled yet and which the signaling connection, the last step before ready for calls,
 * waits for otherwise:
 * <ul>
 *   <li>JDK 25's {@link BigDecimal}, which squares large numbers for a table (25-40 ms); Jackson's parser,
 *       reading the manifest, has BigDecimal constants;
 *   <li>OkHttp's platform, which its client builder looks up and which makes the JDK create every
 *       security provider (30-40 ms).
 * </ul>
 * The main thread reads the manifest meanwhile; a thread that needs one of these classes before it is
 * ready waits for this one to finish it, as class initialisation does.
 */
final class ClassInitWarmUp {

    private ClassInitWarmUp() {}

    static void start() {
        Thread.ofPlatform().name("piopiy-class-init").daemon().start(() -> {
            BigDecimal.ONE.signum();
            new OkHttpClient.Builder();
        });
    }
}
