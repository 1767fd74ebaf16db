package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.pipeline.Cancellable;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.BotStartedSpeakingFrame;
import ai.piopiy.spi.frame.BotStoppedSpeakingFrame;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.DataFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.OutputAudioFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.TtsStoppedFrame;
import ai.piopiy.spi.transport.CallTransport;
import java.util.ArrayDeque;

/**
 * Plays the bot's audio to the caller in real time, one 20 ms chunk per 20 ms, on absolute deadlines
 * from the shared scheduler (no thread per call). Text and markers that came after some audio wait in
 * the queue behind it and pass on only when that audio has been sent, so downstream of this
 * processor a {@link ai.piopiy.spi.frame.TtsTextFrame} means "the caller heard this".
 *
 * <p>It owns the bot's speaking state: bot-started-speaking when the first chunk goes out,
 * bot-stopped-speaking after {@link #STOP_HOLD_NANOS} without audio or at once on an interruption,
 * both pushed upstream (for the turn logic) and downstream. An interruption drops all queued audio
 * and markers: the next chunk is never sent, so the bot falls silent within one frame.
 */
public final class TransportOutputProcessor extends FrameProcessor {

    static final long CHUNK_NANOS = 20_000_000L;
    /** Gaps between sentences shorter than this do not end the bot's turn. */
    static final long STOP_HOLD_NANOS = 200_000_000L;

    private final CallTransport transport;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int chunkBytes;
    private byte[] partial;
    private int partialLength;
    private Cancellable tick = Cancellable.NONE;
    private long nextDeadline;
    private boolean botSpeaking;
    private long lastAudioSentNanos;
    private long idleSinceNanos;
    private EndFrame pendingEnd;
    private long framesSent;

    public TransportOutputProcessor(CallTransport transport) {
        super("transport-output");
        this.transport = requireNonNull(transport, "transport is null");
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        if (direction == FrameDirection.UPSTREAM) {
            ctx.push(frame, direction);
            return;
        }
        switch (frame) {
            case StartFrame s -> {
                chunkBytes = transport.outputFormat().bytesPer(20);
                partial = new byte[chunkBytes];
                ctx.push(frame, direction);
            }
            case OutputAudioFrame audio -> enqueueAudio(audio.pcm(), ctx);
            case TtsStoppedFrame stopped -> {
                flushPartial();
                enqueueOrPass(frame, ctx);
            }
            case InterruptionFrame i -> {
                interrupt(ctx);
                ctx.push(frame, direction);
            }
            case EndFrame end -> {
                flushPartial();
                if (queue.isEmpty()) {
                    stopSpeaking(ctx);
                    ctx.push(end, direction);
                } else {
                    pendingEnd = end; // the bot finishes what it is saying
                    startTicking(ctx);
                }
            }
            case CancelFrame c -> {
                queue.clear();
                partialLength = 0;
                tick.cancel();
                tickGeneration++;
                ctx.push(frame, direction);
            }
            case DataFrame d -> enqueueOrPass(d, ctx);
            default -> ctx.push(frame, direction);
        }
    }

    /** Frames written to the transport so far. */
    public long framesSent() {
        return framesSent;
    }

    private void enqueueOrPass(Frame frame, ProcessorContext ctx) {
        if (queue.isEmpty() && partialLength == 0) {
            ctx.pushDownstream(frame);
        } else {
            queue.add(frame);
            startTicking(ctx);
        }
    }

    private void enqueueAudio(byte[] pcm, ProcessorContext ctx) {
        int offset = 0;
        while (offset < pcm.length) {
            int n = Math.min(chunkBytes - partialLength, pcm.length - offset);
            System.arraycopy(pcm, offset, partial, partialLength, n);
            partialLength += n;
            offset += n;
            if (partialLength == chunkBytes) {
                queue.add(partial);
                partial = new byte[chunkBytes];
                partialLength = 0;
            }
        }
        startTicking(ctx);
    }

    private void flushPartial() {
        if (partialLength > 0) {
            // pad the last chunk with silence: the transport gets whole frames only
            java.util.Arrays.fill(partial, partialLength, chunkBytes, (byte) 0);
            queue.add(partial);
            partial = new byte[chunkBytes];
            partialLength = 0;
        }
    }

    private void startTicking(ProcessorContext ctx) {
        if (tickArmed) {
            return;
        }
        long now = ctx.nanoTime();
        nextDeadline = Math.max(now, nextDeadline);
        onTick(ctx);
    }

    private boolean tickArmed;
    private int tickGeneration;

    private void onTick(ProcessorContext ctx) {
        tickArmed = false;
        long now = ctx.nanoTime();
        // release markers queued ahead of the next audio chunk
        Object head;
        while ((head = queue.peek()) != null && !(head instanceof byte[])) {
            queue.poll();
            ctx.pushDownstream((Frame) head);
        }
        byte[] chunk = (byte[]) queue.poll();
        if (chunk != null) {
            if (!botSpeaking) {
                botSpeaking = true;
                BotStartedSpeakingFrame started = new BotStartedSpeakingFrame(now);
                ctx.events().botStartedSpeaking(now);
                ctx.pushUpstream(started);
                ctx.pushDownstream(started);
            }
            transport.writeAudio(chunk, 0, chunk.length);
            framesSent++;
            lastAudioSentNanos = now;
            idleSinceNanos = 0;
            while ((head = queue.peek()) != null && !(head instanceof byte[])) {
                queue.poll();
                ctx.pushDownstream((Frame) head);
            }
            nextDeadline += CHUNK_NANOS;
            if (nextDeadline < now - 5 * CHUNK_NANOS) {
                nextDeadline = now; // we fell far behind (a stalled machine): do not burst to catch up
            }
            arm(ctx, nextDeadline);
            return;
        }
        // nothing to send
        if (pendingEnd != null) {
            EndFrame end = pendingEnd;
            pendingEnd = null;
            stopSpeaking(ctx);
            ctx.pushDownstream(end);
            return;
        }
        if (botSpeaking) {
            if (idleSinceNanos == 0) {
                idleSinceNanos = now;
            }
            if (now - idleSinceNanos >= STOP_HOLD_NANOS) {
                stopSpeaking(ctx);
            } else {
                nextDeadline = now + CHUNK_NANOS;
                arm(ctx, nextDeadline);
            }
        }
    }

    private void arm(ProcessorContext ctx, long deadline) {
        tickArmed = true;
        int generation = ++tickGeneration;
        // a tick already handed to the lane when it was cancelled must not run
        tick = ctx.scheduleAt(deadline, () -> {
            if (generation == tickGeneration) {
                onTick(ctx);
            }
        });
    }

    private void interrupt(ProcessorContext ctx) {
        long decided = ctx.nanoTime();
        queue.clear();
        partialLength = 0;
        tick.cancel();
        tickGeneration++;
        tickArmed = false;
        transport.clearOutput();
        if (botSpeaking) {
            ctx.events().interrupted(decided, lastAudioSentNanos);
            stopSpeaking(ctx);
        }
        nextDeadline = 0;
    }

    private void stopSpeaking(ProcessorContext ctx) {
        if (!botSpeaking) {
            return;
        }
        botSpeaking = false;
        idleSinceNanos = 0;
        long now = ctx.nanoTime();
        BotStoppedSpeakingFrame stopped = new BotStoppedSpeakingFrame(now);
        ctx.events().botStoppedSpeaking(now);
        ctx.pushUpstream(stopped);
        ctx.pushDownstream(stopped);
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        tick.cancel();
        tickGeneration++;
        queue.clear();
    }
}
