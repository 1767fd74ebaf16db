package ai.piopiy.runtime.manifest;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.manifest.ServiceSpec.ProviderSpec;
import ai.piopiy.runtime.manifest.ServiceSpec.SwitchSpec;
import ai.piopiy.runtime.manifest.internal.ManifestReader;
import ai.piopiy.runtime.manifest.internal.ProviderInstantiator;
import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.spi.Service;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.vad.VadService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a manifest into running calls: creates the manifest's services once, from the providers'
 * factories (which validate their settings), and builds a fresh per-call pipeline from them for
 * every call (Netty's {@code ChannelInitializer}). Closing it closes the services.
 */
public final class CallAssembler implements AutoCloseable {

    private final AgentManifest manifest;
    private final PipelineServices services;

    private CallAssembler(AgentManifest manifest, PipelineServices services) {
        this.manifest = manifest;
        this.services = services;
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

    @Override
    public void close() {
        services.close();
    }

    /** Collects what a manifest cannot say (application tool handlers) and creates the services. */
    public static final class Builder {
        private final ProviderRegistry registry;
        private final RuntimeProviderContext context;

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
            return create("manifest", Optional.of(manifest), specs, List.of());
        }

        private CallAssembler create(String source, Optional<AgentManifest> manifest, List<ProviderSpec> specs,
                                     List<ManifestError> parseErrors) {
            List<ManifestError> errors = new ArrayList<>(parseErrors);
            ProviderInstantiator instantiator = new ProviderInstantiator(registry, context);
            Map<ProviderSpec, Service> created = new IdentityHashMap<>();
            for (ProviderSpec spec : specs) {
                instantiator.create(spec, errors).ifPresent(service -> created.put(spec, service));
            }
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
            return new CallAssembler(manifest.get(), services);
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
