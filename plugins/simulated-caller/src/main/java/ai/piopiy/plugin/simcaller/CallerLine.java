package ai.piopiy.plugin.simcaller;

import static java.util.Objects.requireNonNull;

/**
 * One thing the simulated caller says, and when.
 *
 * @param say the words (synthesised with flite)
 * @param when what to wait for before speaking
 * @param afterMillis how long: the bot quiet this long ({@link When#BOT_QUIET}), the bot speaking
 *     this long ({@link When#BOT_SPEAKING}, a barge-in), or a plain pause ({@link When#PAUSE})
 */
public record CallerLine(String say, When when, int afterMillis) {

    public enum When {
        /** After the bot has been quiet for a while (a normal turn). */
        BOT_QUIET,
        /** While the bot is speaking, after it has spoken for a while (a barge-in). */
        BOT_SPEAKING,
        /** After a pause, whatever the bot does. */
        PAUSE
    }

    public CallerLine {
        requireNonNull(say, "say is null");
        requireNonNull(when, "when is null");
        if (afterMillis < 0) {
            throw new IllegalArgumentException("afterMillis must not be negative");
        }
    }
}
