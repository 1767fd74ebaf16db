package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.CallContext;
import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.pipeline.Cancellable;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.runtime.text.Json;
import ai.piopiy.runtime.tools.ToolRegistry;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.FunctionCallInProgressFrame;
import ai.piopiy.spi.frame.FunctionCallResultFrame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.LlmContextFrame;
import ai.piopiy.spi.frame.LlmResponseEndFrame;
import ai.piopiy.spi.frame.LlmResponseStartFrame;
import ai.piopiy.spi.frame.LlmTextFrame;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.llm.TokenUsage;
import ai.piopiy.spi.llm.ToolCall;
import ai.piopiy.spi.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the LLM to answer each user turn and streams its text downstream, framed by response start
 * and end. Tool calls the model makes are run on virtual threads (with the call's context bound and a
 * timeout each); their results go into the conversation and the model is asked again, within the
 * same response.
 *
 * <p>An interruption cancels the stream in flight and every tool still running; a cancelled tool's
 * call gets a result saying so, so the conversation never holds a call without its result and the
 * next turn never waits for a tool. Results of a cancelled stream or tool that still arrive are
 * dropped. An end frame waits for the answer in progress; a cancel frame does not.
 */
public final class LlmProcessor extends FrameProcessor {

    private static final int MAX_TOOL_ROUNDS = 5;

    private final LlmService service;
    private final ConversationContext context;
    private final ToolRegistry tools;

    private long nextResponseId = 1;
    private long activeResponseId;
    private int generation;
    private LlmStream stream;
    private long requestStartNanos;
    private boolean firstToken;
    private final StringBuilder roundText = new StringBuilder();
    private final List<ToolCall> requestedCalls = new ArrayList<>();
    private final Map<String, RunningTool> runningTools = new LinkedHashMap<>();
    private final Map<String, String> roundResults = new LinkedHashMap<>();
    private List<ToolCall> roundCalls = List.of();
    private int toolRounds;
    private EndFrame pendingEnd;

    private record RunningTool(ToolCall call, Thread thread, Cancellable timeout) {}

    public LlmProcessor(LlmService service, ConversationContext context, ToolRegistry tools) {
        super("llm");
        this.service = requireNonNull(service, "service is null");
        this.context = requireNonNull(context, "context is null");
        this.tools = requireNonNull(tools, "tools is null");
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        if (direction == FrameDirection.UPSTREAM) {
            ctx.push(frame, direction);
            return;
        }
        switch (frame) {
            case LlmContextFrame request -> {
                if (activeResponseId != 0) {
                    long superseded = activeResponseId;
                    cancelInFlight(ctx, "a newer turn superseded it");
                    ctx.pushDownstream(new LlmResponseEndFrame(superseded));
                }
                activeResponseId = nextResponseId++;
                toolRounds = 0;
                ctx.pushDownstream(new LlmResponseStartFrame(activeResponseId));
                startRequest(ctx);
            }
            case InterruptionFrame i -> {
                cancelInFlight(ctx, "the caller interrupted");
                ctx.push(frame, direction);
            }
            case EndFrame end -> {
                if (activeResponseId != 0) {
                    pendingEnd = end; // let the answer in progress finish
                } else {
                    ctx.push(frame, direction);
                }
            }
            case CancelFrame c -> {
                cancelInFlight(ctx, "the call was cancelled");
                ctx.push(frame, direction);
            }
            default -> ctx.push(frame, direction);
        }
    }

    private void startRequest(ProcessorContext ctx) {
        int gen = ++generation;
        roundText.setLength(0);
        requestedCalls.clear();
        firstToken = true;
        requestStartNanos = ctx.nanoTime();
        ctx.events().llmRequestStarted(requestStartNanos);
        LlmRequest request = new LlmRequest(context.snapshot(), tools.definitions());
        try {
            stream = service.stream(request, new Listener(ctx, gen));
        } catch (ServiceException e) {
            failed(ctx, gen, e);
        }
    }

    private void onText(ProcessorContext ctx, String text) {
        if (firstToken) {
            firstToken = false;
            long now = ctx.nanoTime();
            ctx.events().llmFirstToken(now);
            ctx.events().metric(new Metric.TimeToFirstByte(name(), now - requestStartNanos));
        }
        roundText.append(text);
        ctx.pushDownstream(new LlmTextFrame(text));
    }

    private void onComplete(ProcessorContext ctx) {
        stream = null;
        if (!requestedCalls.isEmpty() && toolRounds < MAX_TOOL_ROUNDS) {
            toolRounds++;
            runTools(ctx, List.copyOf(requestedCalls));
            return;
        }
        if (!requestedCalls.isEmpty()) {
            ctx.pushUpstream(new ErrorFrame(name(), "the model kept calling tools for " + MAX_TOOL_ROUNDS + " rounds; answering without more", null, false));
        }
        finishResponse(ctx);
    }

    private void finishResponse(ProcessorContext ctx) {
        long id = activeResponseId;
        activeResponseId = 0;
        long now = ctx.nanoTime();
        ctx.events().metric(new Metric.ProcessingTime(name(), now - requestStartNanos));
        ctx.events().llmResponseEnded(roundText.toString(), now);
        ctx.pushDownstream(new LlmResponseEndFrame(id));
        if (pendingEnd != null) {
            EndFrame end = pendingEnd;
            pendingEnd = null;
            ctx.pushDownstream(end);
        }
    }

    private void failed(ProcessorContext ctx, int gen, ServiceException e) {
        if (gen != generation) {
            return;
        }
        stream = null;
        ctx.pushUpstream(new ErrorFrame(name(), e.getMessage(), e, e.fatal()));
        finishResponse(ctx);
    }

    // ---- tools

    private void runTools(ProcessorContext ctx, List<ToolCall> calls) {
        int gen = generation;
        context.addToolCalls(roundText.toString(), calls);
        roundCalls = calls;
        roundResults.clear();
        CallContext callContext = ctx.callContext();
        for (ToolCall call : calls) {
            ctx.pushDownstream(new FunctionCallInProgressFrame(call));
            ctx.events().toolCallStarted(call, ctx.nanoTime());
            var registered = tools.find(call.name());
            if (registered.isEmpty()) {
                roundResults.put(call.id(), Json.error("no tool named '" + call.name() + "'"));
                continue;
            }
            var tool = registered.get();
            Runnable body = () -> {
                String result;
                try {
                    result = tool.handler().handle(call.argumentsJson());
                    if (result == null) {
                        result = "null";
                    }
                } catch (InterruptedException e) {
                    return; // cancelled: the lane already answered for it
                } catch (Exception | LinkageError e) {
                    result = Json.error(call.name() + " failed: " + e.getMessage());
                }
                String r = result;
                ctx.post(() -> onToolResult(ctx, gen, call, r));
            };
            Thread thread = Thread.ofVirtual().name("tool-" + call.name()).unstarted(
                    callContext == null ? body : () -> callContext.runWith(body));
            Cancellable timeout = ctx.schedule(tool.timeout().toNanos(), () -> {
                RunningTool running = runningTools.get(call.id());
                if (running != null && gen == generation) {
                    running.thread().interrupt();
                    onToolResult(ctx, gen, call, Json.error(call.name() + " timed out after " + tool.timeout().toMillis() + " ms"));
                }
            });
            runningTools.put(call.id(), new RunningTool(call, thread, timeout));
            thread.start();
        }
        completeRoundIfDone(ctx, gen);
    }

    private void onToolResult(ProcessorContext ctx, int gen, ToolCall call, String result) {
        RunningTool running = runningTools.remove(call.id());
        if (gen != generation || running == null) {
            return; // cancelled or timed out already
        }
        running.timeout().cancel();
        roundResults.put(call.id(), result);
        completeRoundIfDone(ctx, gen);
    }

    private void completeRoundIfDone(ProcessorContext ctx, int gen) {
        if (gen != generation || roundResults.size() < roundCalls.size()) {
            return;
        }
        long now = ctx.nanoTime();
        for (ToolCall call : roundCalls) {
            String result = roundResults.get(call.id());
            context.addToolResult(call, result);
            ctx.events().toolCallFinished(call, result, false, now);
            ctx.pushDownstream(new FunctionCallResultFrame(call, result, false));
        }
        roundCalls = List.of();
        roundResults.clear();
        startRequest(ctx); // the model answers with the results in hand
    }

    private void cancelInFlight(ProcessorContext ctx, String why) {
        generation++;
        if (stream != null) {
            stream.cancel();
            stream = null;
        }
        if (!roundCalls.isEmpty()) {
            long now = ctx.nanoTime();
            String cancelled = Json.error("cancelled: " + why);
            for (ToolCall call : roundCalls) {
                RunningTool running = runningTools.remove(call.id());
                if (running != null) {
                    running.thread().interrupt();
                    running.timeout().cancel();
                }
                String result = roundResults.getOrDefault(call.id(), cancelled);
                boolean wasCancelled = !roundResults.containsKey(call.id());
                context.addToolResult(call, result);
                ctx.events().toolCallFinished(call, result, wasCancelled, now);
                ctx.pushDownstream(new FunctionCallResultFrame(call, result, wasCancelled));
            }
            roundCalls = List.of();
            roundResults.clear();
        }
        activeResponseId = 0;
        if (pendingEnd != null) {
            EndFrame end = pendingEnd;
            pendingEnd = null;
            ctx.pushDownstream(end);
        }
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        generation++;
        if (stream != null) {
            stream.cancel();
            stream = null;
        }
        for (RunningTool t : runningTools.values()) {
            t.thread().interrupt();
            t.timeout().cancel();
        }
        runningTools.clear();
    }

    /** Hands a stream's output to the lane; output of a cancelled or replaced stream is dropped there. */
    private final class Listener implements LlmListener {
        private final ProcessorContext ctx;
        private final int gen;

        Listener(ProcessorContext ctx, int gen) {
            this.ctx = ctx;
            this.gen = gen;
        }

        @Override
        public void onText(String text) {
            ctx.post(() -> {
                if (gen == generation) {
                    LlmProcessor.this.onText(ctx, text);
                }
            });
        }

        @Override
        public void onToolCall(ToolCall call) {
            ctx.post(() -> {
                if (gen == generation) {
                    requestedCalls.add(call);
                }
            });
        }

        @Override
        public void onUsage(TokenUsage usage) {
            ctx.post(() -> ctx.events().metric(new Metric.LlmTokenUsage(name(), service.name(), usage.promptTokens(), usage.completionTokens())));
        }

        @Override
        public void onComplete() {
            ctx.post(() -> {
                if (gen == generation) {
                    LlmProcessor.this.onComplete(ctx);
                }
            });
        }

        @Override
        public void onError(ServiceException error) {
            ctx.post(() -> failed(ctx, gen, error));
        }
    }
}
