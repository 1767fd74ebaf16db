package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.ToolHandler;
import ai.piopiy.VoiceAgent;
import ai.piopiy.interruptions.MinDurationInterruptionStrategy;
import ai.piopiy.interruptions.MinWordsInterruptionStrategy;
import ai.piopiy.runtime.manifest.ServiceSpec.ProviderSpec;
import ai.piopiy.runtime.manifest.ServiceSpec.SwitchSpec;
import ai.piopiy.runtime.manifest.internal.ManifestReader;
import ai.piopiy.runtime.manifest.internal.ProviderInstantiator;
import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.runtime.plugin.internal.PluginDirectoryLoader;
import ai.piopiy.spi.Service;
import ai.piopiy.spi.interruption.InterruptionStrategy;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.vad.VadService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Turns a manifest into running calls: creates the manifest's services once, from the providers'
 * factories (which validate their settings), and builds a fresh per-call pipeline from them for
 * every call (Netty's {@code ChannelInitializer}): {@link #newCall} gives the call's
 * {@link VoiceAgent}. Closing it closes the services.
 */
public final class CallAssembler implements AutoCloseable {

    private final AgentManifest manifest;
    private final PipelineServices services;
    private final Map<ProviderSpec, Service> created;
    private final Map<String, Function<AssembledCall, ToolHandler>> toolHandlers;

    private CallAssembler(AgentManifest manifest, PipelineServices services, Map<ProviderSpec, Service> created,
                          Map<String, Function<AssembledCall, ToolHandler>> toolHandlers) {
        this.manifest = manifest;
        this.services = services;
        this.created = created;
        this.toolHandlers = toolHandlers;
    }

    public static Builder builder(ProviderRegistry registry, RuntimeProviderContext context) {
        return new Builder(registry, context);
    }

    public AgentManifest manifest() {
        return manifest;
    }

    public PipelineServices services() {
        return services;
    }

    /**
     * The {@link VoiceAgent} of a call the platform handed over: its transport opened by the
     * manifest's transport provider. Blocks while the transport connects.
     */
    public AssembledCall newCall(CallInfo call) {
        requireNonNull(call, "call is null");
        return newCall(services.transport().open(call));
    }

    /** The {@link VoiceAgent} of a call on {@code transport} (a call the application connected itself). */
    public AssembledCall newCall(CallTransport transport) {
        requireNonNull(transport, "transport is null");
        PipelineSpec pipeline = manifest.pipeline();
        Map<ProviderKind, ServiceSwitcher<?>> switchers = new EnumMap<>(ProviderKind.class);
        SttService stt = select(ProviderKind.STT, services.stt(), switchers);
        LlmService llm = select(ProviderKind.LLM, services.llm(), switchers);
        TtsService tts = select(ProviderKind.TTS, services.tts(), switchers);
        VoiceAgent agent = VoiceAgent.builder()
                .instructions(pipeline.instructions())
                .greeting(pipeline.greeting())
                .initialMessages(pipeline.initialMessages())
                .build();
        InterruptionSpec interruptions = pipeline.interruptions();
        agent.action(stt, llm, tts, services.vad().isPresent(), interruptions.allowed(),
                interruptions.strategy().map(CallAssembler::strategy).orElse(null));
        services.vad().ifPresent(vad -> agent.vad(vad, pipeline.vadParams()));
        GuardSpec guards = pipeline.guards();
        agent.idleTimeout(guards.idleTimeout()).maxCallDuration(guards.maxDuration());
        guards.goodbye().ifPresent(agent::goodbye);
        agent.transport(transport);
        AssembledCall call = new AssembledCall(agent, switchers);
        for (ToolSpec tool : pipeline.tools()) {
            ToolHandler handler = toolHandlers.get(tool.name()).apply(call);
            tool.timeout().ifPresentOrElse(
                    timeout -> agent.registerTool(tool.definition(), handler, timeout),
                    () -> agent.registerTool(tool.definition(), handler));
        }
        return call;
    }

    /**
     * Lets every service load what its first call would otherwise wait for ({@link Service#prewarm()}),
     * all at once, each on a thread of its own; returns when all are done, with what failed, by the
     * manifest path of the service's settings.
     */
    public List<ManifestError> prewarm() {
        List<ManifestError> failures = new CopyOnWriteArrayList<>();
        // platform threads: loading a model sits in native code
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("piopiy-prewarm-", 0).daemon().factory())) {
            created.forEach((spec, service) -> threads.execute(() -> {
                try {
                    service.prewarm();
                } catch (RuntimeException | LinkageError e) {
                    failures.add(new ManifestError(spec.path(), spec.kind().key() + " provider '" + spec.provider()
                            + "' cannot get ready: " + PluginDirectoryLoader.describe(e)));
                }
            }));
        }
        return failures.stream().sorted(Comparator.comparing(ManifestError::path)).toList();
    }

    @Override
    public void close() {
        services.close();
    }

    @SuppressWarnings("unchecked")
    private static <S extends Service> S select(ProviderKind kind, ServiceChoice<S> choice,
                                                Map<ProviderKind, ServiceSwitcher<?>> switchers) {
        return switch (choice) {
            case ServiceChoice.One<S> one -> one.service();
            case ServiceChoice.Alternatives<S> alternatives -> {
                // per call: a switch in one call must not change the voice of the others
                ServiceSwitcher<S> switcher = new ServiceSwitcher<>(alternatives.services(), alternatives.defaultName());
                switchers.put(kind, switcher);
                yield (S) switcher;
            }
        };
    }

    private static InterruptionStrategy strategy(InterruptionSpec.Strategy spec) {
        return switch (spec) {
            case InterruptionSpec.MinWords w -> new MinWordsInterruptionStrategy(w.minWords(), w.backchannels());
            case InterruptionSpec.MinDuration d -> new MinDurationInterruptionStrategy(d.seconds());
        };
    }

    /** Collects what a manifest cannot say (application tool handlers) and creates the services. */
    public static final class Builder {
        private final ProviderRegistry registry;
        private final RuntimeProviderContext context;
        private final Map<String, Function<AssembledCall, ToolHandler>> toolHandlers = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();

        /** Binds the handler of the manifest's tool {@code name}, the same for every call. */
        public Builder tool(String name, ToolHandler handler) {
            requireNonNull(handler, "handler is null");
            return toolPerCall(name, call -> handler);
        }

        /**
         * Binds the handler of the manifest's tool {@code name}, made for each call: the handler can
         * reach the call's agent and switchers (to say something, or to switch the voice).
         */
        public Builder toolPerCall(String name, Function<AssembledCall, ToolHandler> perCall) {
            requireNonNull(name, "name is null");
            requireNonNull(perCall, "perCall is null");
            toolHandlers.put(name, perCall);
            return this;
        }

        /** The clock of the {@code current_time} built-in (the system's UTC clock unless set). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        private Builder(ProviderRegistry registry, RuntimeProviderContext context) {
            this.registry = requireNonNull(registry, "registry is null");
            this.context = requireNonNull(context, "context is null");
        }

        /**
         * Parses the manifest file (substituting from the context's environment) and creates its
         * services.
         *
         * @throws ManifestException listing every problem: the manifest's own and each provider's
         */
        public CallAssembler load(Path manifestFile) {
            return load(manifestFile.getFileName().toString(), ManifestParser.read(manifestFile));
        }

        /** @see #load(Path) */
        public CallAssembler load(String source, String json) {
            requireNonNull(source, "source is null");
            ManifestReader.Outcome outcome = ManifestReader.read(json, context.environment());
            return create(source, outcome.manifest(), outcome.providers(), outcome.errors());
        }

        /** Creates the services of a manifest already parsed (or built in code). */
        public CallAssembler build(AgentManifest manifest) {
            return build("manifest", manifest);
        }

        /**
         * Creates the services of a manifest already parsed.
         *
         * @param source the manifest's name in messages (its file name)
         */
        public CallAssembler build(String source, AgentManifest manifest) {
            requireNonNull(source, "source is null");
            requireNonNull(manifest, "manifest is null");
            List<ProviderSpec> specs = new ArrayList<>();
            PipelineSpec pipeline = manifest.pipeline();
            for (ServiceSpec spec : List.of(pipeline.stt(), pipeline.llm(), pipeline.tts())) {
                switch (spec) {
                    case ProviderSpec one -> specs.add(one);
                    case SwitchSpec alternatives -> specs.addAll(alternatives.services().values());
                }
            }
            pipeline.vad().ifPresent(specs::add);
            specs.add(manifest.transport());
            return create(source, Optional.of(manifest), specs, List.of());
        }

        private CallAssembler create(String source, Optional<AgentManifest> manifest, List<ProviderSpec> specs,
                                     List<ManifestError> parseErrors) {
            List<ManifestError> errors = new ArrayList<>(parseErrors);
            ProviderInstantiator instantiator = new ProviderInstantiator(registry, context);
            Map<ProviderSpec, Service> created = instantiator.createAll(specs, errors);
            Map<String, Function<AssembledCall, ToolHandler>> handlers = manifest.isEmpty() ? Map.of()
                    : toolHandlers(manifest.get().pipeline().tools(), errors);
            if (!errors.isEmpty() || manifest.isEmpty()) {
                PipelineServices.closeAll(List.copyOf(created.values()));
                throw new ManifestException(source, errors);
            }
            PipelineSpec pipeline = manifest.get().pipeline();
            PipelineServices services = new PipelineServices(
                    choice(pipeline.stt(), created, SttService.class),
                    choice(pipeline.llm(), created, LlmService.class),
                    choice(pipeline.tts(), created, TtsService.class),
                    pipeline.vad().map(spec -> VadService.class.cast(created.get(spec))),
                    TransportService.class.cast(created.get(manifest.get().transport())));
            return new CallAssembler(manifest.get(), services, Collections.unmodifiableMap(created), handlers);
        }

        /** Every tool's handler: bound in code or built in; a tool with neither, or a binding without a tool, is an error. */
        private Map<String, Function<AssembledCall, ToolHandler>> toolHandlers(List<ToolSpec> tools, List<ManifestError> errors) {
            Map<String, Function<AssembledCall, ToolHandler>> handlers = new LinkedHashMap<>();
            for (int i = 0; i < tools.size(); i++) {
                ToolSpec tool = tools.get(i);
                Function<AssembledCall, ToolHandler> bound = toolHandlers.get(tool.name());
                String path = "pipeline.tools[" + i + "].handler";
                if (bound != null && tool.handler().isPresent()) {
                    errors.add(new ManifestError(path, "tool '" + tool.name() + "' has the built-in handler "
                            + tool.handler().get() + " and one bound in code; keep one"));
                } else if (bound != null) {
                    handlers.put(tool.name(), bound);
                } else if (tool.handler().isPresent()) {
                    handlers.put(tool.name(), builtin(tool.handler().get()));
                } else {
                    errors.add(new ManifestError(path, "tool '" + tool.name() + "' has no handler: name a built-in ("
                            + String.join(", ", new TreeSet<>(BuiltinTools.names()))
                            + ") or bind one in code with CallAssembler.Builder.tool"));
                }
            }
            for (String name : toolHandlers.keySet()) {
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    errors.add(new ManifestError("pipeline.tools", "a handler is bound for tool '" + name
                            + "', which the manifest does not declare"));
                }
            }
            return handlers;
        }

        private Function<AssembledCall, ToolHandler> builtin(String name) {
            if (name.equals(BuiltinTools.CURRENT_TIME)) {
                ToolHandler handler = BuiltinTools.currentTime(clock);
                return call -> handler;
            }
            ProviderKind kind = ProviderKind.valueOf(BuiltinTools.SWITCHES.get(name).toUpperCase(Locale.ROOT));
            return call -> BuiltinTools.switchService(call.switcher(kind).orElseThrow());
        }

        private static <S extends Service> ServiceChoice<S> choice(ServiceSpec spec, Map<ProviderSpec, Service> created,
                                                                   Class<S> type) {
            return switch (spec) {
                case ProviderSpec one -> new ServiceChoice.One<>(type.cast(created.get(one)));
                case SwitchSpec alternatives -> {
                    Map<String, S> named = new LinkedHashMap<>();
                    alternatives.services().forEach((name, one) -> named.put(name, type.cast(created.get(one))));
                    yield new ServiceChoice.Alternatives<>(named, alternatives.defaultService());
                }
            };
        }
    }
}
