package ai.piopiy.spi.frame;

/** Ordered frames that an interruption drops while they are still queued. */
public sealed interface DataFrame extends Frame
        permits OutputAudioFrame, InterimTranscriptionFrame, TranscriptionFrame,
                LlmContextFrame, LlmResponseStartFrame, LlmTextFrame, LlmResponseEndFrame,
                FunctionCallInProgressFrame, TtsStartedFrame, TtsTextFrame, TtsStoppedFrame,
                SpeakFrame, ApplicationFrame {}
