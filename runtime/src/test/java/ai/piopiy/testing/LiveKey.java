package ai.piopiy.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The API key of a live smoke test, which talks to the real provider only when its key is in the environment. */
public final class LiveKey {

    private LiveKey() {}

    /**
     * The key in {@code envVar}. When it is not set the test is skipped, and the reason is also printed,
     * because a skipped live test must be visible in the build output, not only in the reports.
     */
    public static String require(String envVar) {
        String key = System.getenv(envVar);
        boolean present = key != null && !key.isBlank();
        if (!present) {
            System.out.println("live test skipped: " + envVar + " is not set");
        }
        assumeTrue(present, envVar + " is not set");
        return key;
    }
}
