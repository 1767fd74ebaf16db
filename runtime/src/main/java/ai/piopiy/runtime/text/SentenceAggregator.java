package ai.piopiy.runtime.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collects streamed LLM text into sentences for speech. A sentence ends at {@code . ! ? ;} (and their
 * CJK forms) once the next non-blank character has arrived: one character of look-ahead, so "3.5",
 * "e.g. this" and "Dr. Smith" do not split, and a sentence is released as soon as it is certain.
 * What is left at the end of a response is released by {@link #flush()}.
 */
public final class SentenceAggregator {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "approx", "no", "inc", "ltd", "co");

    private final StringBuilder buffer = new StringBuilder();

    /** Adds text; returns the sentences it completed (often none). */
    public List<String> append(String text) {
        buffer.append(text);
        List<String> out = null;
        int start = 0;
        for (int i = 0; i < buffer.length(); i++) {
            char c = buffer.charAt(i);
            if (!isSentenceEnd(c)) {
                continue;
            }
            int j = i + 1;
            while (j < buffer.length() && (isSentenceEnd(buffer.charAt(j)) || isClosing(buffer.charAt(j)))) {
                j++;
            }
            int k = j;
            while (k < buffer.length() && Character.isWhitespace(buffer.charAt(k))) {
                k++;
            }
            boolean cjk = c == '。' || c == '！' || c == '？';
            if (k == buffer.length() || (k == j && !cjk)) {
                i = j - 1;
                continue; // no look-ahead yet, or no space after the mark ("3.5")
            }
            if (c == '.' && isAbbreviation(start, i)) {
                i = j - 1;
                continue;
            }
            String sentence = buffer.substring(start, j).strip();
            if (!sentence.isEmpty()) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(sentence);
            }
            start = k;
            i = k - 1;
        }
        if (start > 0) {
            buffer.delete(0, start);
        }
        return out == null ? List.of() : out;
    }

    /** Releases whatever is left (the response ended); null when nothing is. */
    public String flush() {
        String rest = buffer.toString().strip();
        buffer.setLength(0);
        return rest.isEmpty() ? null : rest;
    }

    public void reset() {
        buffer.setLength(0);
    }

    private boolean isAbbreviation(int start, int dot) {
        int w = dot;
        while (w > start && !Character.isWhitespace(buffer.charAt(w - 1))) {
            w--;
        }
        String word = buffer.substring(w, dot).toLowerCase(java.util.Locale.ROOT);
        if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
            return true; // an initial: "J. Smith"
        }
        return ABBREVIATIONS.contains(word);
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?' || c == ';' || c == '。' || c == '！' || c == '？';
    }

    private static boolean isClosing(char c) {
        return c == '"' || c == '\'' || c == ')' || c == '”' || c == '’';
    }
}
