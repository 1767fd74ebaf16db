package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.LlmResponseEndFrame;
import ai.piopiy.spi.frame.LlmResponseStartFrame;
import ai.piopiy.spi.frame.TtsTextFrame;

/**
 * The assistant side of the conversation, after the output transport: it collects the words the
 * caller heard (text frames the output let through once their audio was sent) and adds them to the
 * conversation when the answer ends, or when the caller cuts it off — then only the heard part.
 */
public final class AssistantContextAggregator extends FrameProcessor {

    private final ConversationContext context;
    private final StringBuilder heard = new StringBuilder();
    private boolean inResponse;

    public AssistantContextAggregator(ConversationContext context) {
        super("assistant-context");
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        if (direction == FrameDirection.DOWNSTREAM) {
            switch (frame) {
                case LlmResponseStartFrame s -> {
                    commit(ctx, false);
                    inResponse = true;
                }
                case TtsTextFrame t -> {
                    if (!heard.isEmpty()) {
                        heard.append(' ');
                    }
                    heard.append(t.text().strip());
                }
                case LlmResponseEndFrame e -> commit(ctx, false);
                case InterruptionFrame i -> commit(ctx, true);
                case EndFrame e -> commit(ctx, false);
                case CancelFrame c -> commit(ctx, true);
                default -> { }
            }
        }
        ctx.push(frame, direction);
    }

    private void commit(ProcessorContext ctx, boolean interrupted) {
        if (!heard.isEmpty()) {
            String text = heard.toString();
            context.addAssistant(text);
            ctx.events().botSaid(text, interrupted && inResponse, ctx.nanoTime());
            heard.setLength(0);
        }
        inResponse = false;
    }
}
