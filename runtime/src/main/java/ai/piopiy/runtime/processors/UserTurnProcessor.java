package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.pipeline.Cancellable;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.BotStartedSpeakingFrame;
import ai.piopiy.spi.frame.BotStoppedSpeakingFrame;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.InterimTranscriptionFrame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.LlmContextFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.TranscriptionFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.spi.frame.UserStoppedSpeakingFrame;
import ai.piopiy.spi.interruption.InterruptionStrategy;
import java.time.Duration;

/**
 * The user side of the conversation: decides when the caller's turn is over and what they said
 * (one LLM request per turn), and whether the caller's speech while the bot talks is a barge-in.
 *
 * <p>A turn ends when the VAD says the caller stopped and a final transcript covers what they said.
 * When the VAD stop comes first (the STT is still finishing), the final transcript is waited for up to
 * {@code finalTranscriptWait}; a final that arrives after a stop with nothing pending ends the turn
 * {@code finalTranscriptWait} later unless the caller speaks again, in which case it joins the next
 * turn. Nothing is sent twice and nothing is lost: what is left when the wait runs out is sent as it is.
 *
 * <p>Interruptions, while the bot speaks: not allowed — the bot finishes, and what the caller said
 * becomes the next turn once it stops; allowed without a strategy — the VAD start interrupts;
 * allowed with a strategy — the strategy is fed the caller's speech audio and transcripts and
 * interrupts when it says so; speech it turns down (a backchannel, a cough) is dropped.
 */
public final class UserTurnProcessor extends FrameProcessor {

    private final ConversationContext context;
    private final boolean allowInterruptions;
    private final InterruptionStrategy strategy;
    private final long finalWaitNanos;
    private final java.util.function.BooleanSupplier speechNow;

    private final StringBuilder turnText = new StringBuilder();
    private String interimText = "";
    private boolean userSpeaking;
    private boolean botSpeaking;
    private boolean interruptedThisTurn;
    private boolean deferredUntilBotStops;
    private Cancellable waitTimer = Cancellable.NONE;
    private int waitGeneration;
    private long userStoppedAtNanos;

    public UserTurnProcessor(ConversationContext context, boolean allowInterruptions, InterruptionStrategy strategy, Duration finalTranscriptWait) {
        this(context, allowInterruptions, strategy, finalTranscriptWait, () -> true);
    }

    /**
     * @param speechNow whether the caller's latest audio is speech (the VAD's verdict), so that a
     *     duration strategy does not count the quiet tail the VAD waits through before "stopped"
     */
    public UserTurnProcessor(ConversationContext context, boolean allowInterruptions, InterruptionStrategy strategy,
                             Duration finalTranscriptWait, java.util.function.BooleanSupplier speechNow) {
        super("user-turn");
        this.speechNow = requireNonNull(speechNow, "speechNow is null");
        this.context = requireNonNull(context, "context is null");
        this.allowInterruptions = allowInterruptions;
        this.strategy = strategy;
        this.finalWaitNanos = finalTranscriptWait.toNanos();
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        if (direction == FrameDirection.UPSTREAM) {
            switch (frame) {
                case BotStartedSpeakingFrame b -> {
                    botSpeaking = true;
                    interruptedThisTurn = false; // a new answer: the caller may interrupt it again
                }
                case BotStoppedSpeakingFrame b -> {
                    botSpeaking = false;
                    if (strategy != null) {
                        strategy.reset();
                    }
                    if (deferredUntilBotStops && !userSpeaking) {
                        deferredUntilBotStops = false;
                        endTurn(ctx);
                    }
                }
                default -> { }
            }
            ctx.push(frame, direction);
            return;
        }
        switch (frame) {
            case InputAudioFrame audio -> {
                ctx.push(frame, direction);
                if (botSpeaking && userSpeaking && strategy != null && allowInterruptions && !interruptedThisTurn && speechNow.getAsBoolean()) {
                    strategy.appendAudio(audio.pcm(), 0, audio.pcm().length, audio.sampleRate());
                    maybeInterrupt(ctx);
                }
            }
            case UserStartedSpeakingFrame s -> {
                userSpeaking = true;
                cancelWait();
                ctx.push(frame, direction);
                if (botSpeaking && allowInterruptions && strategy == null) {
                    interrupt(ctx);
                }
            }
            case UserStoppedSpeakingFrame s -> {
                userSpeaking = false;
                userStoppedAtNanos = s.atNanos();
                ctx.push(frame, direction);
                if (!interimText.isEmpty() || turnText.isEmpty()) {
                    armWait(ctx); // the STT has not settled yet
                } else {
                    endTurn(ctx);
                }
            }
            case InterimTranscriptionFrame t -> {
                if (fallbackUsed && userSpeaking) {
                    fallbackUsed = false; // a new utterance: the missing final will not come now
                }
                interimText = t.text().strip();
                feedStrategy(t.text(), false, ctx);
            }
            case TranscriptionFrame t -> {
                if (fallbackUsed) {
                    fallbackUsed = false; // the late final of a turn already sent from its interim: not twice
                    return;
                }
                appendFinal(t.text());
                feedStrategy(t.text(), true, ctx);
                if (!userSpeaking) {
                    if (waitArmed && interimText.isEmpty()) {
                        endTurn(ctx); // the final we were waiting for
                    } else {
                        armWait(ctx); // late final with no stop pending: give the caller a moment
                    }
                }
            }
            case InterruptionFrame i -> {
                interruptedThisTurn = true;
                botSpeaking = false;
                ctx.push(frame, direction);
            }
            case StartFrame s -> ctx.push(frame, direction);
            case EndFrame e -> {
                cancelWait();
                ctx.push(frame, direction);
            }
            case CancelFrame c -> {
                cancelWait();
                ctx.push(frame, direction);
            }
            default -> ctx.push(frame, direction);
        }
    }

    private boolean waitArmed;
    private boolean fallbackUsed;

    private void armWait(ProcessorContext ctx) {
        cancelWait();
        waitArmed = true;
        int generation = ++waitGeneration;
        waitTimer = ctx.schedule(finalWaitNanos, () -> {
            if (generation == waitGeneration && !userSpeaking) {
                waitArmed = false;
                if (!interimText.isEmpty()) {
                    appendFinal(interimText); // the STT never settled: what it heard is better than nothing
                    fallbackUsed = true;
                }
                endTurn(ctx);
            }
        });
    }

    private void cancelWait() {
        waitArmed = false;
        waitGeneration++;
        waitTimer.cancel();
    }

    private void appendFinal(String text) {
        String t = text.strip();
        if (!t.isEmpty()) {
            if (!turnText.isEmpty()) {
                turnText.append(' ');
            }
            turnText.append(t);
        }
        interimText = "";
    }

    private void feedStrategy(String text, boolean isFinal, ProcessorContext ctx) {
        if (botSpeaking && allowInterruptions && strategy != null && !interruptedThisTurn) {
            strategy.appendText(text, isFinal);
            maybeInterrupt(ctx);
        }
    }

    private void maybeInterrupt(ProcessorContext ctx) {
        if (strategy.shouldInterrupt()) {
            interrupt(ctx);
        }
    }

    private void interrupt(ProcessorContext ctx) {
        interruptedThisTurn = true;
        botSpeaking = false;
        if (strategy != null) {
            strategy.reset();
        }
        ctx.pushDownstream(new InterruptionFrame());
        ctx.pushUpstream(new InterruptionFrame());
    }

    private void endTurn(ProcessorContext ctx) {
        cancelWait();
        if (turnText.isEmpty()) {
            return; // a cough, a noise: no words, no turn
        }
        if (botSpeaking && !interruptedThisTurn) {
            if (!allowInterruptions) {
                deferredUntilBotStops = true; // the bot finishes; this becomes the next turn
                return;
            }
            if (strategy != null) {
                // speech the strategy did not count as a barge-in ("uh-huh"): not a request
                turnText.setLength(0);
                interimText = "";
                strategy.reset();
                return;
            }
        }
        String text = turnText.toString();
        turnText.setLength(0);
        interimText = "";
        interruptedThisTurn = false;
        if (strategy != null) {
            strategy.reset();
        }
        context.addUser(text);
        ctx.events().userTurnEnded(text, ctx.nanoTime());
        ctx.pushDownstream(new LlmContextFrame(context.snapshot()));
    }

    /** When the last user turn's VAD stop happened (engine clock), for latency reports. */
    public long userStoppedAtNanos() {
        return userStoppedAtNanos;
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        cancelWait();
    }
}
