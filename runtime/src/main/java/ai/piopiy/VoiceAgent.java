package ai.piopiy;

import static java.util.Objects.requireNonNull;

import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.events.CallLogListener;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.Pipeline;
import ai.piopiy.runtime.pipeline.PipelineObserver;
import ai.piopiy.runtime.pipeline.PipelineParams;
import ai.piopiy.runtime.pipeline.PipelineTask;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RegisteredProvider;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.runtime.processors.AssistantContextAggregator;
import ai.piopiy.runtime.processors.CallGuardProcessor;
import ai.piopiy.runtime.processors.LlmProcessor;
import ai.piopiy.runtime.processors.SttProcessor;
import ai.piopiy.runtime.processors.TransportInputProcessor;
import ai.piopiy.runtime.processors.TransportOutputProcessor;
import ai.piopiy.runtime.processors.TtsProcessor;
import ai.piopiy.runtime.processors.UserTurnProcessor;
import ai.piopiy.runtime.processors.VadProcessor;
import ai.piopiy.runtime.tools.ToolRegistry;
import ai.piopiy.runtime.vad.EnergyVadService;
import ai.piopiy.spi.frame.SpeakFrame;
import ai.piopiy.spi.interruption.InterruptionStrategy;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.vad.VadParams;
import ai.piopiy.spi.vad.VadService;
import ai.piopiy.runtime.report.CallRecorder;
import ai.piopiy.runtime.report.CallReport;
import ai.piopiy.runtime.report.LatencyTimeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One voice conversation: the caller's audio goes through VAD and speech-to-text, each turn to the
 * LLM (with tools), the answer through text-to-speech back to the caller, who may interrupt.
 * The Java form of the Python SDK's {@code VoiceAgent}:
 *
 * <pre>{@code
 * VoiceAgent agent = new VoiceAgent("You are a helpful assistant.", "Hello! How can I help?");
 * agent.action(stt, llm, tts, true, true, new MinWordsInterruptionStrategy(2));
 * agent.start(); // blocks until the call ends
 * }</pre>
 *
 * <p>The pipeline it runs: transport in → call guards → VAD → STT → user turns → LLM → TTS →
 * transport out → assistant context. One instance serves one call; make a new one per call.
 */
public final class VoiceAgent {

    private static final AtomicInteger LOCAL_CALLS = new AtomicInteger();

    private final String instructions;
    private final String greeting;
    private final ConversationContext context;
    private final ToolRegistry tools = new ToolRegistry();
    private final List<CallEventListener> listeners = new ArrayList<>();
    private final List<PipelineObserver> observers = new ArrayList<>();

    private SttService stt;
    private LlmService llm;
    private TtsService tts;
    private boolean vadEnabled;
    private VadService vadService;
    private VadParams vadParams = VadParams.DEFAULTS;
    private boolean allowInterruptions;
    private InterruptionStrategy interruptionStrategy;
    private CallTransport transport;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration maxCallDuration = Duration.ofMinutes(30);
    private String goodbye = "It seems we have lost each other. Goodbye!";
    private Duration greetingDelay = Duration.ofMillis(500);
    private Duration finalTranscriptWait = Duration.ofMillis(600);
    private Duration toolTimeout = Duration.ofSeconds(10);
    private boolean logCall = true;
    private Path reportDirectory;
    private volatile CallReport report;
    private volatile PipelineTask task;

    public VoiceAgent(String instructions) {
        this(instructions, "", null, null);
    }

    public VoiceAgent(String instructions, String greeting) {
        this(instructions, greeting, null, null);
    }

    /**
     * @param instructions the system prompt
     * @param greeting spoken when the caller joins ("" for none)
     * @param initialMessages conversation history to start from (may be null)
     * @param contextAggregator a conversation to use instead of a new one, e.g. to read it after the call (may be null)
     */
    public VoiceAgent(String instructions, String greeting, List<LlmMessage> initialMessages, ConversationContext contextAggregator) {
        this.instructions = requireNonNull(instructions, "instructions is null");
        this.greeting = greeting == null ? "" : greeting;
        this.context = contextAggregator != null ? contextAggregator : new ConversationContext();
        if (initialMessages != null) {
            initialMessages.forEach(context::add);
        }
        if (!instructions.isBlank()) {
            context.setInstructions(instructions);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets the services, as the Python SDK's {@code Action}. */
    public VoiceAgent action(SttService stt, LlmService llm, TtsService tts, boolean vad, boolean allowInterruptions, InterruptionStrategy interruptionStrategy) {
        this.stt = requireNonNull(stt, "stt is null");
        this.llm = requireNonNull(llm, "llm is null");
        this.tts = requireNonNull(tts, "tts is null");
        checkSwitcher(stt, SttService.class, "stt");
        checkSwitcher(llm, LlmService.class, "llm");
        checkSwitcher(tts, TtsService.class, "tts");
        this.vadEnabled = vad;
        this.allowInterruptions = allowInterruptions;
        this.interruptionStrategy = interruptionStrategy;
        return this;
    }

    /** Services only: no VAD, no interruptions (the Python SDK's defaults). */
    public VoiceAgent action(SttService stt, LlmService llm, TtsService tts) {
        return action(stt, llm, tts, false, false, null);
    }

    private static void checkSwitcher(Object service, Class<?> kind, String role) {
        if (service instanceof ServiceSwitcher<?> sw) {
            sw.requireKind(kind, role);
        }
    }

    /** Uses {@code service} (e.g. Silero) as the voice-activity model, with these settings. Turns VAD on. */
    public VoiceAgent vad(VadService service, VadParams params) {
        this.vadService = requireNonNull(service, "service is null");
        this.vadParams = requireNonNull(params, "params is null");
        this.vadEnabled = true;
        return this;
    }

    public VoiceAgent vadParams(VadParams params) {
        this.vadParams = requireNonNull(params, "params is null");
        return this;
    }

    /**
     * The call's media. When none is set, {@link #start()} inside an {@link Agent} session joins the
     * call's LiveKit room through the {@code livekit} transport provider on the class path (the
     * {@code piopiy-plugin-livekit} artifact), with its default settings.
     */
    public VoiceAgent transport(CallTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
        return this;
    }

    public VoiceAgent registerTool(ToolDefinition definition, ToolHandler handler) {
        return registerTool(definition, handler, toolTimeout);
    }

    public VoiceAgent registerTool(ToolDefinition definition, ToolHandler handler, Duration timeout) {
        tools.register(definition, handler, timeout);
        return this;
    }

    /** Ends the call when neither side has spoken for this long (default 60 s; zero: never). */
    public VoiceAgent idleTimeout(Duration idleTimeout) {
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        return this;
    }

    /** Ends the call once it has lasted this long (default 30 min; zero: never). */
    public VoiceAgent maxCallDuration(Duration maxCallDuration) {
        this.maxCallDuration = requireNonNull(maxCallDuration, "maxCallDuration is null");
        return this;
    }

    /** Said before a guard ends the call ("" to hang up silently). */
    public VoiceAgent goodbye(String goodbye) {
        this.goodbye = requireNonNull(goodbye, "goodbye is null");
        return this;
    }

    public VoiceAgent greetingDelay(Duration delay) {
        this.greetingDelay = requireNonNull(delay, "delay is null");
        return this;
    }

    /** How long a turn waits, after the caller stops, for the STT's final transcript (default 600 ms). */
    public VoiceAgent finalTranscriptWait(Duration wait) {
        this.finalTranscriptWait = requireNonNull(wait, "wait is null");
        return this;
    }

    public VoiceAgent addEventListener(CallEventListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        return this;
    }

    public VoiceAgent addObserver(PipelineObserver observer) {
        observers.add(requireNonNull(observer, "observer is null"));
        return this;
    }

    /** Whether to write the per-call INFO log lines (default on). */
    public VoiceAgent logCall(boolean logCall) {
        this.logCall = logCall;
        return this;
    }

    /**
     * Writes a report of the call into {@code directory} when it ends: {@code report.txt} (the
     * transcript and the per-turn latency table), {@code timeline.svg} (the same latencies as a
     * picture) and {@code call.wav} (the recording, caller left, bot right).
     */
    public VoiceAgent report(Path directory) {
        this.reportDirectory = requireNonNull(directory, "directory is null");
        return this;
    }

    /** The call's report (transcript and per-turn timings), once the call has started. */
    public CallReport callReport() {
        return report;
    }

    /**
     * Runs the call and blocks until it ends: the caller hung up, a guard ended it, {@link #end()} or
     * {@link #cancel()} was called, or a fatal error happened. Interrupting the calling thread cancels
     * the call (then this throws {@link InterruptedException}).
     */
    public CallOutcome start() throws InterruptedException {
        if (stt == null) {
            throw new IllegalStateException("call action(stt, llm, tts, ...) before start()");
        }
        if (task != null) {
            throw new IllegalStateException("a VoiceAgent runs one call; make a new one for the next call");
        }
        CallContext callContext = CallContext.current().orElse(null);
        if (transport != null) {
            return run(transport, callContext);
        }
        RoomTransport room = RoomTransport.join(callContext);
        try {
            Agent.acceptCall(); // the media is up: the call is ours (a no-op unless the Agent has an accept timeout)
            return run(room.transport(), callContext);
        } finally {
            room.transport().close(); // idempotent; this one counts when the call failed before it started
            room.close();
        }
    }

    private CallOutcome run(CallTransport callTransport, CallContext callContext) throws InterruptedException {
        CallTransport t = reportDirectory != null ? new CallRecorder(callTransport, 16_000) : callTransport;
        String callId = callContext != null ? callContext.callId() : "local-" + LOCAL_CALLS.incrementAndGet();
        List<CallEventListener> all = new ArrayList<>(listeners);
        if (logCall) {
            all.add(new CallLogListener(callId));
        }
        CallReport callReport = new CallReport();
        this.report = callReport;
        all.add(callReport);
        PipelineParams params = PipelineParams.builder(callId)
                .inputFormat(t.inputFormat())
                .outputFormat(t.outputFormat())
                .allowInterruptions(allowInterruptions)
                .callContext(callContext)
                .events(CallEventListener.composite(all))
                .observers(observers)
                .build();
        PipelineTask pipelineTask = new PipelineTask(buildPipeline(t), params);
        this.task = pipelineTask;
        try {
            pipelineTask.start();
            return pipelineTask.awaitTermination();
        } catch (InterruptedException e) {
            pipelineTask.cancel("the session was cancelled");
            try {
                pipelineTask.termination().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the cancel guard forces it down; we are leaving anyway
            }
            throw e;
        } finally {
            t.close();
            if (reportDirectory != null) {
                writeReport(callReport, (CallRecorder) t);
            }
        }
    }

    /**
     * The call's media room, joined as the Python SDK's VoiceAgent does when no transport is given:
     * through the class path's {@value #ROOM_PROVIDER} transport provider, with the URL and token of
     * the {@link Agent} session's invite. {@link #close()} releases the provider's service and context
     * once the transport is closed.
     */
    private record RoomTransport(CallTransport transport, TransportService service, RuntimeProviderContext context) {

        static final String ROOM_PROVIDER = "livekit";

        static RoomTransport join(CallContext call) {
            if (call == null) {
                throw new IllegalStateException("no transport for this call: pass one with transport(...), "
                        + "or start the VoiceAgent in an Agent session, where it joins the call's media room");
            }
            RegisteredProvider provider = ProviderRegistry.findOnClasspath(ProviderKind.TRANSPORT, ROOM_PROVIDER,
                    VoiceAgent.class.getClassLoader()).orElseThrow(() -> new IllegalStateException(
                    "cannot join the media room of call " + call.callId() + ": no '" + ROOM_PROVIDER + "' transport"
                            + " provider on the class path; add the LiveKit plugin (Maven artifact"
                            + " ai.piopiy:piopiy-plugin-livekit), or pass the call's transport with transport(...)"));
            RuntimeProviderContext context = new RuntimeProviderContext(System.getenv());
            TransportService service = null;
            try {
                service = (TransportService) provider.create(ProviderConfig.empty("transport"), context.forProvider(provider.id()));
                return new RoomTransport(service.open(call.call()), service, context);
            } catch (RuntimeException | Error e) {
                if (service != null) {
                    service.close();
                }
                context.close();
                throw e;
            }
        }

        void close() {
            try {
                service.close();
            } finally {
                context.close();
            }
        }
    }

    private void writeReport(CallReport callReport, CallRecorder recorder) {
        try {
            Files.createDirectories(reportDirectory);
            Files.writeString(reportDirectory.resolve("report.txt"), callReport.render());
            Files.writeString(reportDirectory.resolve("timeline.svg"), LatencyTimeline.svg(callReport.turns()));
            recorder.writeWav(reportDirectory.resolve("call.wav"), callReport.startNanos());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(VoiceAgent.class).warn("could not write the call report to {}: {}", reportDirectory, e.toString());
        }
    }

    private Pipeline buildPipeline(CallTransport t) {
        InterruptionStrategy strategy = interruptionStrategy;
        if (allowInterruptions && strategy == null && !vadEnabled) {
            strategy = new MinWordsInterruptionStrategy(1); // no VAD to start an interruption: words do
        }
        List<FrameProcessor> processors = new ArrayList<>();
        processors.add(new TransportInputProcessor(t, new TransportInputProcessor.CallerEvents() {
            @Override
            public void callerJoined(String participantId, ProcessorContext ctx) {
                if (!greeting.isBlank()) {
                    ctx.schedule(greetingDelay.toNanos(), () -> ctx.push(new SpeakFrame(greeting), FrameDirection.DOWNSTREAM));
                }
            }

            @Override
            public void callerLeft(String participantId, String reason, ProcessorContext ctx) {
                task.cancel("the caller left" + (reason == null ? "" : " (" + reason + ")"));
            }
        }));
        processors.add(new CallGuardProcessor(idleTimeout, maxCallDuration, (reason, ctx) -> {
            String why = reason == CallGuardProcessor.Reason.IDLE
                    ? "idle for " + idleTimeout.toSeconds() + " s"
                    : "maximum call duration of " + maxCallDuration.toSeconds() + " s reached";
            if (!goodbye.isBlank()) {
                ctx.push(new SpeakFrame(goodbye), FrameDirection.DOWNSTREAM);
            }
            task.end(why);
        }));
        VadProcessor vad = null;
        if (vadEnabled) {
            vad = new VadProcessor(vadService != null ? vadService : new EnergyVadService(), vadParams);
            processors.add(vad);
        }
        processors.add(new SttProcessor(stt));
        processors.add(new UserTurnProcessor(context, allowInterruptions, strategy, finalTranscriptWait,
                vad == null ? () -> true : vad::speechNow));
        processors.add(new LlmProcessor(llm, context, tools.copy()));
        processors.add(new TtsProcessor(tts));
        processors.add(new TransportOutputProcessor(t));
        processors.add(new AssistantContextAggregator(context));
        return new Pipeline(processors);
    }

    /** Speaks {@code text} now, as the bot (queued behind what it is saying). From any thread, during the call. */
    public void say(String text) {
        requireRunning().queueFrame(new SpeakFrame(requireNonNull(text, "text is null")));
    }

    /** Ends the call once the bot has finished what it is saying. */
    public void end() {
        requireRunning().end("ended by the application");
    }

    /** Stops the call now. */
    public void cancel() {
        requireRunning().cancel("cancelled by the application");
    }

    /** The conversation so far (a copy). Safe during the call only from the call's own handlers; always after it. */
    public List<LlmMessage> conversation() {
        return context.snapshot();
    }

    public ConversationContext context() {
        return context;
    }

    /** Waits until the call has started (the pipeline saw its start frame). */
    public void awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (task == null) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the call did not start within " + timeout);
            }
            Thread.sleep(1);
        }
        task.awaitStarted(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    private PipelineTask requireRunning() {
        PipelineTask t = task;
        if (t == null) {
            throw new IllegalStateException("the call has not started");
        }
        return t;
    }

    /** Builds a VoiceAgent the way the Python constructor's keyword arguments read. */
    public static final class Builder {
        private String instructions = "";
        private String greeting = "";
        private List<LlmMessage> initialMessages;
        private ConversationContext contextAggregator;

        private Builder() {}

        public Builder instructions(String instructions) {
            this.instructions = requireNonNull(instructions, "instructions is null");
            return this;
        }

        public Builder greeting(String greeting) {
            this.greeting = requireNonNull(greeting, "greeting is null");
            return this;
        }

        public Builder initialMessages(List<LlmMessage> initialMessages) {
            this.initialMessages = List.copyOf(initialMessages);
            return this;
        }

        public Builder contextAggregator(ConversationContext context) {
            this.contextAggregator = requireNonNull(context, "context is null");
            return this;
        }

        public VoiceAgent build() {
            return new VoiceAgent(instructions, greeting, initialMessages, contextAggregator);
        }
    }
}
