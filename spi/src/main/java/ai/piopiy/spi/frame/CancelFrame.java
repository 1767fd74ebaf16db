package ai.piopiy.spi.frame;

/** Stops the call now: processors drop what they hold and cancel streams in flight. */
public record CancelFrame(String reason) implements SystemFrame {}
