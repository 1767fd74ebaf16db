package ai.piopiy.spi.frame;

/** An application's own data travelling with the call's frames; the engine passes it through. */
public record ApplicationFrame(String type, Object payload) implements DataFrame {}
