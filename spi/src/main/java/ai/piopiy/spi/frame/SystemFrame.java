package ai.piopiy.spi.frame;

/** Frames that overtake queued frames and survive interruptions. */
public sealed interface SystemFrame extends Frame
        permits StartFrame, CancelFrame, InterruptionFrame,
                UserStartedSpeakingFrame, UserStoppedSpeakingFrame,
                BotStartedSpeakingFrame, BotStoppedSpeakingFrame,
                InputAudioFrame, ErrorFrame, MetricsFrame {}
