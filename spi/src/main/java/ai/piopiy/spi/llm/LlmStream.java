package ai.piopiy.spi.llm;

/** A completion in flight. */
public interface LlmStream {

    /** Stops the completion and closes its connection. Idempotent; safe from any thread. */
    void cancel();
}
