package ai.piopiy.plugin.livekit.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The private network namespace the media tests need (WebRTC gathers no ICE candidates on loopback):
 * {@code src/test/netns/bin/java} runs the test JVM in one, with a veth pair, and says so in {@code PIOPIY_MEDIA_NETNS}.
 */
public final class MediaNamespace {

    private MediaNamespace() {}

    /** Skips the calling test, saying why, when it does not run in the namespace. */
    public static void assume() {
        assumeTrue("1".equals(System.getenv("PIOPIY_MEDIA_NETNS")),
                "media tests need the private network namespace of src/test/netns/bin/java (root, unshare, ip, veth); not available here");
    }
}
