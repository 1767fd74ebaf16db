package ai.piopiy.runtime.pipeline;

/** A timer or task that can be called off. Idempotent. */
@FunctionalInterface
public interface Cancellable {

    Cancellable NONE = () -> {};

    void cancel();
}
