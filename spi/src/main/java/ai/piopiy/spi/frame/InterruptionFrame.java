package ai.piopiy.spi.frame;

/**
 * The caller talked over the bot and the interruption strategy agreed: every processor drops queued
 * data frames and cancels LLM and TTS work in flight; the output stops sending audio.
 */
public record InterruptionFrame() implements SystemFrame {}
