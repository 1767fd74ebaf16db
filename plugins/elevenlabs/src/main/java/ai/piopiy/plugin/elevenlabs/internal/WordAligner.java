package ai.piopiy.plugin.elevenlabs.internal;

import ai.piopiy.plugin.elevenlabs.internal.ElevenLabsProtocol.Alignment;
import ai.piopiy.spi.tts.WordTimestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns ElevenLabs' per-chunk character timing into word timestamps relative to the utterance. A
 * word is complete at the whitespace after it, which may come in the next chunk, or at the end.
 * Not thread-safe: one per utterance.
 */
final class WordAligner {

    private final StringBuilder word = new StringBuilder();
    private double wordStart;
    private double wordEnd;

    /**
     * The words this chunk completes; {@code chunkStartMs} is where the chunk's audio starts. Sums stay
     * in milliseconds and are divided once, so whole milliseconds give the nearest double of their seconds.
     */
    List<WordTimestamp> add(Alignment alignment, double chunkStartMs) {
        List<WordTimestamp> words = new ArrayList<>();
        List<String> chars = alignment.chars();
        for (int i = 0; i < chars.size(); i++) {
            String c = chars.get(i);
            if (c.isBlank()) {
                complete(words);
                continue;
            }
            double startMs = chunkStartMs + alignment.startMs()[i];
            if (word.isEmpty()) {
                wordStart = startMs / 1000.0;
            }
            word.append(c);
            wordEnd = (startMs + alignment.durationMs()[i]) / 1000.0;
        }
        return words;
    }

    /** The last word, when the text did not end in whitespace. */
    List<WordTimestamp> finish() {
        List<WordTimestamp> words = new ArrayList<>(1);
        complete(words);
        return words;
    }

    private void complete(List<WordTimestamp> words) {
        if (!word.isEmpty()) {
            words.add(new WordTimestamp(word.toString(), wordStart, wordEnd));
            word.setLength(0);
        }
    }
}
