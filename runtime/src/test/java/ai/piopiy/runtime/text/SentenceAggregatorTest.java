package ai.piopiy.runtime.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceAggregatorTest {

    static List<String> feed(SentenceAggregator a, String... tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            out.addAll(a.append(t));
        }
        return out;
    }

    @Test
    void releasesASentenceOnceTheNextWordStarts() {
        SentenceAggregator a = new SentenceAggregator();
        // the W2 tokens: sentence 1 is released by token 11, sentence 2 by the flush
        String[] tokens = {"Sure", " thing", " here", " is", " the", " first", " part", " of", " my", " answer."};
        assertThat(feed(a, tokens)).isEmpty();
        assertThat(a.append(" This")).containsExactly("Sure thing here is the first part of my answer.");
        assertThat(feed(a, " is", " the", " second", " part", " of", " the", " same", " answer", " today.")).isEmpty();
        assertThat(a.flush()).isEqualTo("This is the second part of the same answer today.");
        assertThat(a.flush()).isNull();
    }

    @Test
    void doesNotSplitNumbersAbbreviationsOrInitials() {
        SentenceAggregator a = new SentenceAggregator();
        assertThat(feed(a, "Version 3.5 is out. ", "Dr. Smith and J. Doe agree, e.g. today! ", "Right? ", "Yes")).containsExactly(
                "Version 3.5 is out.", "Dr. Smith and J. Doe agree, e.g. today!", "Right?");
        assertThat(a.flush()).isEqualTo("Yes");
    }

    @Test
    void keepsClosingQuotesWithTheirSentence() {
        SentenceAggregator a = new SentenceAggregator();
        assertThat(feed(a, "He said \"stop.\" Then", " left.")).containsExactly("He said \"stop.\"");
        assertThat(a.flush()).isEqualTo("Then left.");
    }
}
