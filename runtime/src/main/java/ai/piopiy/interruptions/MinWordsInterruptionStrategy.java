package ai.piopiy.interruptions;

import ai.piopiy.spi.interruption.InterruptionStrategy;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Interrupts the bot once the caller has said at least {@code minWords} words while it speaks.
 * Words from the backchannel list ("uh-huh", "yeah", "okay", ...) do not count, so a caller who
 * signals they are listening does not stop the bot; a cough (speech with no words) never counts.
 * Interim transcripts count (the latest interim replaces the previous one), so a barge-in does not
 * wait for the final transcript.
 */
public final class MinWordsInterruptionStrategy implements InterruptionStrategy {

    /** Sounds and words callers make to show they are listening, not to take the turn. */
    public static final Set<String> DEFAULT_BACKCHANNELS = Set.of(
            "uh-huh", "uh huh", "uhhuh", "mm-hmm", "mm hmm", "mhm", "mmhmm", "hmm", "mm", "um", "uh", "ah", "oh",
            "yeah", "yes", "yep", "yup", "ok", "okay", "right", "sure", "alright", "got it", "i see", "cool", "nice");

    private static final Pattern WORD_SPLIT = Pattern.compile("[\\s,.!?;:]+");

    private final int minWords;
    private final Set<String> backchannels;
    private int finalWords;
    private int interimWords;

    /** The Python SDK's default: one word, with the default backchannel list. */
    public MinWordsInterruptionStrategy() {
        this(1);
    }

    public MinWordsInterruptionStrategy(int minWords) {
        this(minWords, DEFAULT_BACKCHANNELS);
    }

    /** @param backchannels words that never count (empty: every word counts) */
    public MinWordsInterruptionStrategy(int minWords, Set<String> backchannels) {
        if (minWords < 1) {
            throw new IllegalArgumentException("minWords must be at least 1, got " + minWords);
        }
        this.minWords = minWords;
        this.backchannels = backchannels.stream().map(w -> w.toLowerCase(Locale.ROOT).strip()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public int minWords() {
        return minWords;
    }

    public Set<String> backchannels() {
        return backchannels;
    }

    @Override
    public void appendText(String text, boolean isFinal) {
        int words = countWords(text);
        if (isFinal) {
            finalWords += words;
            interimWords = 0;
        } else {
            interimWords = words;
        }
    }

    @Override
    public boolean shouldInterrupt() {
        return finalWords + interimWords >= minWords;
    }

    @Override
    public void reset() {
        finalWords = 0;
        interimWords = 0;
    }

    /** Words that count: not blank, not a backchannel (single words and two-word backchannels alike). */
    int countWords(String text) {
        String normalized = text.toLowerCase(Locale.ROOT).strip();
        if (normalized.isEmpty()) {
            return 0;
        }
        String[] words = WORD_SPLIT.split(normalized);
        int count = 0;
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.isEmpty()) {
                continue;
            }
            if (i + 1 < words.length && backchannels.contains(w + " " + words[i + 1])) {
                i++;
                continue;
            }
            if (!backchannels.contains(w)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public String toString() {
        return "MinWordsInterruptionStrategy[minWords=" + minWords + ", backchannels=" + backchannels.size() + "]";
    }
}
