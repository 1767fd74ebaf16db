/**
 * The Piopiy service-provider interface: what a third party codes against to add a speech-to-text,
 * LLM, text-to-speech, voice-activity or transport provider to the runtime.
 *
 * <p>It depends on the JDK and slf4j-api only. Frames ({@link ai.piopiy.spi.frame}) are what flows
 * through a call; services ({@link ai.piopiy.spi.stt}, {@link ai.piopiy.spi.llm},
 * {@link ai.piopiy.spi.tts}, {@link ai.piopiy.spi.vad}, {@link ai.piopiy.spi.transport}) are what
 * providers implement; {@link ai.piopiy.spi.provider} is how the runtime finds and configures them.
 */
package ai.piopiy.spi;
