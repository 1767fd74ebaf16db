package ai.piopiy.spi.metrics;

/** One measurement made during a call. {@code source} names the processor or service. */
public sealed interface Metric {

    String source();

    /** Time from a request to the first byte of its answer (STT final after speech end, LLM first token, TTS first audio). */
    record TimeToFirstByte(String source, long nanos) implements Metric {}

    /** Time a processor spent on one unit of work (a turn, an utterance). */
    record ProcessingTime(String source, long nanos) implements Metric {}

    /** Tokens an LLM request consumed. */
    record LlmTokenUsage(String source, String model, int promptTokens, int completionTokens) implements Metric {}

    /** Characters sent to a TTS service. */
    record TtsCharacters(String source, int characters) implements Metric {}
}
