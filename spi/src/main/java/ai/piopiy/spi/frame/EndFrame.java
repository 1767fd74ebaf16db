package ai.piopiy.spi.frame;

/** Ends the call after everything queued before it has been handled (the bot finishes its sentence). */
public record EndFrame(String reason) implements ControlFrame {}
