package ai.piopiy.cli;

import static java.util.Objects.requireNonNull;

import ai.piopiy.Agent;
import ai.piopiy.CallContext;
import ai.piopiy.SignalingException;
import ai.piopiy.VoiceAgent;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.runtime.manifest.AgentManifest;
import ai.piopiy.runtime.manifest.AgentSettings;
import ai.piopiy.runtime.manifest.AssembledCall;
import ai.piopiy.runtime.manifest.CallAssembler;
import ai.piopiy.runtime.manifest.ManifestError;
import ai.piopiy.runtime.manifest.ManifestException;
import ai.piopiy.runtime.manifest.ManifestParser;
import ai.piopiy.runtime.manifest.PipelineSpec;
import ai.piopiy.runtime.manifest.ServiceSpec;
import ai.piopiy.runtime.plugin.LoadReport;
import ai.piopiy.runtime.plugin.ProviderRegistry;
import ai.piopiy.runtime.plugin.RuntimeProviderContext;
import ai.piopiy.runtime.plugin.internal.SpiVersion;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The {@code piopiy} command: {@code run}, {@code validate}, {@code plugins} and {@code version}.
 * Arguments are parsed by hand: four commands and one option do not need a library, and every
 * class loaded here is startup time.
 *
 * <p>Exit codes: 0 success, 1 failure (a plugin failed to load, the agent failed), 2 the manifest
 * is invalid, 64 the command line is wrong.
 */
public final class PiopiyCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID_MANIFEST = 2;
    public static final int USAGE = 64;

    private static final String USAGE_TEXT = """
            Usage: piopiy [--plugins-dir DIR] <command> [arguments]

            Commands:
              run <manifest>       serve calls until stopped (SIGTERM, Ctrl-C), then end them and exit
              call <manifest>      run one call on the manifest's transport, here and now, without signaling
              validate <manifest>  check a manifest and its provider settings; lists every error (exit 2)
              plugins              the plugins loaded, their providers by kind, and what failed to load
              version              the runtime, SPI and Java versions

            Options:
              --plugins-dir DIR    where plugins are (default: plugins/ in the runtime's directory)
              --report DIR         (run, call) write each call's report: report.txt, timeline.svg, call.wav
              -h, --help           this help; piopiy <command> --help explains a command
            """;

    private static final Map<String, String> COMMAND_HELP = Map.of(
            "run", """
                    Usage: piopiy [--plugins-dir DIR] run <manifest>

                    Loads the plugins and the manifest, creates the providers' services, connects the agent
                    to the signaling server and serves calls until the process is stopped (SIGTERM, Ctrl-C).
                    Then it leaves the signaling server (no new calls), ends the calls in progress and waits
                    for them (up to 30 s), closes the services and exits.
                    ${NAME} and ${NAME:-default} in the manifest's string values come from the environment.
                    """,
            "call", """
                    Usage: piopiy [--plugins-dir DIR] [--report DIR] call <manifest>

                    Runs one call now, on the manifest's transport (for example the simulated caller), without
                    the signaling server, and prints its report: the transcript and, for every caller turn,
                    how long each stage took. With --report, also writes report.txt, timeline.svg (open it in
                    a browser) and call.wav (caller left, agent right) into DIR.
                    Exit code 0 when the call ended normally, 1 when a fatal error ended it.
                    """,
            "validate", """
                    Usage: piopiy [--plugins-dir DIR] validate <manifest>

                    Checks the manifest and, by creating each provider's service, every provider setting.
                    Prints every problem found with its JSON path. Exit code 0 when valid, 2 when not.
                    """,
            "plugins", """
                    Usage: piopiy [--plugins-dir DIR] plugins

                    Lists the plugins loaded (id, version), the providers each offers by kind, the providers
                    found on the class path, and every plugin or provider that failed to load, with why.
                    Exit code 0, or 1 when something failed to load.
                    """,
            "version", """
                    Usage: piopiy version

                    Prints the runtime version, the SPI version plugins are checked against, and the Java version.
                    """);

    /** What each start-up mark's share of {@code run}'s start-up was spent on. */
    private static final Map<String, String> STARTUP_LABELS = Map.of(
            "runtime_ready", "JVM start", "framework_loaded", "plugins", "pipeline_built", "manifest and services",
            "ready", "signaling");

    /**
     * Tells the distribution's logging binding (piopiy-logging's {@code DeferredLog4jServiceProvider},
     * which keeps log calls until Log4j is configured) that the command has started and Log4j may be
     * configured now; with any other SLF4J binding it is an ordinary marker. In a holder: making it
     * binds SLF4J, which belongs after the runtime-ready mark, not in this class's initialisation.
     */
    private static final class LoggingStart {
        static final Marker MARKER = MarkerFactory.getMarker("piopiy.logging.start");
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final Path home;
    private final StartupMarks startup;

    /**
     * @param home the runtime's directory (its {@code plugins/} is the default plugins directory)
     */
    public PiopiyCli(PrintStream out, PrintStream err, Map<String, String> environment, Path home) {
        this(out, err, environment, home, StartupMarks.now());
    }

    private PiopiyCli(PrintStream out, PrintStream err, Map<String, String> environment, Path home, long runtimeReady) {
        this.startup = StartupMarks.from(runtimeReady, environment);
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.home = requireNonNull(home, "home is null");
    }

    public static void main(String[] args) {
        long runtimeReady = StartupMarks.now();
        String home = System.getProperty("piopiy.home", ".");
        int code = new PiopiyCli(System.out, System.err, System.getenv(), Path.of(home), runtimeReady).execute(args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line {@code args}; returns the exit code. */
    public int execute(String... args) {
        Path pluginsDir = home.resolve(ProviderRegistry.DEFAULT_PLUGINS_DIR);
        Path reportDir = null;
        List<String> rest = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--plugins-dir") || arg.startsWith("--plugins-dir=")) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (++i < args.length ? args[i] : null);
                if (value == null || value.isBlank()) {
                    return usage("--plugins-dir needs a directory");
                }
                pluginsDir = Path.of(value);
            } else if (arg.equals("--report") || arg.startsWith("--report=")) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (++i < args.length ? args[i] : null);
                if (value == null || value.isBlank()) {
                    return usage("--report needs a directory");
                }
                reportDir = Path.of(value);
            } else if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
            } else if (arg.startsWith("-")) {
                return usage("unknown option " + arg);
            } else {
                rest.add(arg);
            }
        }
        if (rest.isEmpty()) {
            if (help) {
                out.print(USAGE_TEXT);
                return OK;
            }
            return usage("no command given");
        }
        String command = rest.getFirst();
        List<String> operands = rest.subList(1, rest.size());
        if (!COMMAND_HELP.containsKey(command)) {
            return usage("unknown command " + command);
        }
        if (help) {
            out.print(COMMAND_HELP.get(command));
            return OK;
        }
        if (!command.equals("run") && !command.equals("version")) {
            // these commands log as they go; run starts logging once it is ready for calls
            LoggerFactory.getLogger(PiopiyCli.class).debug(LoggingStart.MARKER, "piopiy {}", command);
        }
        return switch (command) {
            case "version" -> operands.isEmpty() ? version() : usage("version takes no arguments");
            case "plugins" -> operands.isEmpty() ? plugins(pluginsDir) : usage("plugins takes no arguments");
            case "validate" -> operands.size() == 1 ? validate(pluginsDir, Path.of(operands.getFirst()))
                    : usage("validate takes one manifest file");
            case "run" -> operands.size() == 1 ? run(pluginsDir, Path.of(operands.getFirst()), reportDir)
                    : usage("run takes one manifest file");
            case "call" -> operands.size() == 1 ? call(pluginsDir, Path.of(operands.getFirst()), reportDir)
                    : usage("call takes one manifest file");
            default -> throw new IllegalStateException("command without implementation: " + command);
        };
    }

    private int usage(String problem) {
        err.println("piopiy: " + problem);
        err.print(USAGE_TEXT);
        return USAGE;
    }

    private int version() {
        String runtime = PiopiyCli.class.getPackage().getImplementationVersion();
        out.println("piopiy " + (runtime == null ? "(development build)" : runtime));
        out.println("SPI " + SpiVersion.current());
        out.println("Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        return OK;
    }

    private int plugins(Path pluginsDir) {
        try (ProviderRegistry registry = ProviderRegistry.load(pluginsDir)) {
            LoadReport report = registry.loadReport();
            out.println("Plugins directory: " + report.pluginsDir().toAbsolutePath().normalize()
                    + (Files.isDirectory(report.pluginsDir()) ? "" : " (does not exist)"));
            out.println("SPI version: " + report.spiVersion());
            out.println();
            if (report.plugins().isEmpty()) {
                out.println("No plugins loaded.");
            }
            for (LoadReport.LoadedPlugin plugin : report.plugins()) {
                out.println(plugin.id() + " " + plugin.version()
                        + (plugin.description().isBlank() ? "" : " - " + plugin.description()));
                printProviders(plugin.providers());
            }
            if (!report.classpathProviders().isEmpty()) {
                out.println();
                out.println("On the class path:");
                printProviders(report.classpathProviders());
            }
            if (report.hasFailures()) {
                out.println();
                out.println("Failed to load (" + report.failures().size() + "):");
                for (LoadReport.LoadFailure failure : report.failures()) {
                    out.println("  " + failure);
                }
                return FAILED;
            }
            return OK;
        }
    }

    private void printProviders(List<LoadReport.ProviderInfo> providers) {
        int width = providers.stream().mapToInt(p -> p.id().length()).max().orElse(0);
        providers.stream()
                .sorted(Comparator.comparing(LoadReport.ProviderInfo::kind).thenComparing(LoadReport.ProviderInfo::id))
                .forEach(p -> {
                    String description = p.description().equals(p.id()) ? "" : p.description();
                    out.println(String.format("  %-9s %-" + width + "s  %s", p.kind().key(), p.id(), description).stripTrailing());
                });
    }

    private int validate(Path pluginsDir, Path manifest) {
        return withManifest(pluginsDir, manifest, assembler -> {
            out.println(manifest.getFileName() + " is valid: " + describe(assembler.manifest()));
            return OK;
        });
    }

    private int call(Path pluginsDir, Path manifest, Path reportDir) {
        return withManifest(pluginsDir, manifest, assembler -> {
            AgentSettings settings = assembler.manifest().agent();
            CallInfo info = new CallInfo("local-call", settings.id(), null, null, null, null, null, Map.of());
            try {
                CallOutcome[] outcome = new CallOutcome[1];
                VoiceAgent[] agent = new VoiceAgent[1];
                // bound like a platform call, so tool handlers see the call's context
                new CallContext(info).runWith(() -> {
                    AssembledCall call = assembler.newCall(info);
                    agent[0] = call.agent();
                    if (reportDir != null) {
                        agent[0].report(reportDir);
                    }
                    outcome[0] = agent[0].start();
                    return null;
                });
                out.println();
                out.print(agent[0].callReport().render());
                if (reportDir != null) {
                    out.println();
                    out.println("report written to " + reportDir.toAbsolutePath()
                            + ": report.txt, timeline.svg (open it in a browser), call.wav (caller left, agent right)");
                }
                if (outcome[0].fatalError() != null) {
                    err.println("piopiy: the call failed: " + outcome[0].fatalError().message());
                    return FAILED;
                }
                return OK;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FAILED;
            }
        });
    }

    /**
     * Starts the agent with as much as possible happening at once, since a restart is when calls wait
     * for it: the signaling connection opens while the plugins load, only the plugins the manifest uses
     * are loaded, and what no call needs before it arrives waits until the agent is ready: Log4j's
     * configuration in the distribution (piopiy-logging keeps the log lines meanwhile) and the JDK's
     * trusted certificates (the providers build their HTTP clients on their first call). No call is
     * put together before the services are there.
     */
    private int run(Path pluginsDir, Path manifestFile, Path reportDir) {
        if (missing(manifestFile)) {
            return INVALID_MANIFEST;
        }
        ClassInitWarmUp.start();
        // the plugins directory is read while the manifest is parsed: neither needs the other
        CompletableFuture<ProviderRegistry> plugins = new CompletableFuture<>();
        Thread.ofPlatform().name("piopiy-plugins-scan").start(() -> {
            try {
                plugins.complete(ProviderRegistry.loadOnDemand(pluginsDir));
            } catch (RuntimeException | Error e) {
                plugins.completeExceptionally(e);
            }
        });
        AgentManifest manifest;
        try {
            manifest = ManifestParser.parse(manifestFile, environment);
        } catch (ManifestException e) {
            closeQuietly(plugins);
            // the same report as validate's: every error, the providers' settings' too
            return withManifest(pluginsDir, manifestFile, assembler -> OK);
        }
        return serve(plugins, manifestFile, manifest, reportDir);
    }

    private static void closeQuietly(CompletableFuture<ProviderRegistry> plugins) {
        try {
            plugins.join().close();
        } catch (CompletionException e) {
            // the manifest's errors are what to report; validate reads the plugins again and says more
        }
    }

    /** The registry being read, or what went wrong reading it, as it was thrown. */
    private static ProviderRegistry await(CompletableFuture<ProviderRegistry> plugins) {
        try {
            return plugins.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException cause -> throw cause;
                case Error cause -> throw cause;
                default -> throw e;
            }
        }
    }

    private int serve(CompletableFuture<ProviderRegistry> plugins, Path manifestFile, AgentManifest manifest,
                      Path reportDir) {
        Logger log = LoggerFactory.getLogger(PiopiyCli.class);
        AgentSettings settings = manifest.agent();
        CompletableFuture<CallAssembler> services = new CompletableFuture<>();
        Agent agent = Agent.builder(settings.id(), settings.token().reveal(), (agentId, callId, from, to, metadata) -> {
                    // the transport provider connects the call's media; the platform may then hand it over
                    AssembledCall call = services.join().newCall(CallContext.require().call());
                    if (reportDir != null) {
                        call.agent().report(reportDir.resolve(callId));
                    }
                    Agent.acceptCall();
                    call.agent().start();
                })
                .signalingUrl(settings.signalingUrl().toString())
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .build();
        // the signaling connection needs nothing of the plugins: it opens while they load (a call that
        // comes in meanwhile waits for the services)
        log.info("agent {} connecting to {} (at most {} calls at once); stop with SIGTERM or Ctrl-C",
                settings.id(), settings.signalingUrl(), settings.maxConcurrentCalls());
        CompletableFuture<Void> joined = new CompletableFuture<>();
        Thread.ofVirtual().name("piopiy-signaling-start").start(() -> {
            try {
                agent.start();
                joined.complete(null);
            } catch (SignalingException | InterruptedException | RuntimeException e) {
                joined.completeExceptionally(e);
            }
        });
        try (ProviderRegistry registry = await(plugins);
             RuntimeProviderContext context = new RuntimeProviderContext(environment)) {
            startup.mark("framework_loaded");
            try (CallAssembler assembler = CallAssembler.builder(registry, context).build(manifestFile.getFileName().toString(), manifest)) {
                startup.mark("pipeline_built");
                services.complete(assembler);
                warnAboutLoadFailures(registry.loadReport());
                log.info("{} loaded: {}", manifestFile.getFileName(), describe(manifest));
                joined.join();
                startup.mark("ready");
                // Log4j starts now (piopiy-logging), while nothing else needs the CPU
                log.info(LoggingStart.MARKER, "agent {} ready for calls {} ms after the process started ({})", settings.id(),
                        Math.round(startup.millis("ready")), startup.shares(STARTUP_LABELS));
                startup.benchmarkLine().ifPresent(line -> {
                    out.println(line);
                    out.flush();
                });
                // what no call needs before it arrives is loaded now, while the agent waits for one
                TlsWarmUp tls = TlsWarmUp.start();
                Thread.ofPlatform().name("piopiy-prewarm").daemon().start(() -> prewarm(assembler, log));
                // returns once SIGTERM/SIGINT has shut the agent down: no new calls, running ones ended
                agent.serveUntilShutdown();
                tls.close();
                log.info("agent {} stopped", settings.id());
                return OK;
            } catch (ManifestException e) {
                // a provider refused its settings: leave the signaling server before saying why
                services.completeExceptionally(e);
                joined.exceptionally(failure -> null).join();
                agent.shutdown();
                warnAboutLoadFailures(registry.loadReport());
                err.println(e.getMessage());
                return INVALID_MANIFEST;
            } catch (CompletionException e) {
                if (e.getCause() instanceof SignalingException signaling) {
                    err.println("piopiy: the agent could not join " + settings.signalingUrl() + ": " + signaling.getMessage());
                    return FAILED;
                }
                if (e.getCause() instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return FAILED;
                }
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent.shutdown();
                return FAILED;
            }
        } catch (RuntimeException | Error e) {
            // whatever went wrong loading the plugins, the agent must not stay joined
            joined.exceptionally(failure -> null).join();
            agent.shutdown();
            throw e;
        }
    }

    /**
     * Lets the services load what their first call would wait for (a VAD model); says when that is done,
     * and what failed (a call that needs a service that failed here fails with the same error).
     */
    private void prewarm(CallAssembler assembler, Logger log) {
        List<ManifestError> failures;
        try {
            failures = assembler.prewarm();
        } catch (RuntimeException e) {
            // closed by a shutdown meanwhile
            return;
        }
        startup.mark("prewarmed");
        failures.forEach(failure -> log.error("{}: {}; calls will fail until this is fixed", failure.path(), failure.message()));
        log.info("services prewarmed {} ms after the process started", Math.round(startup.millis("prewarmed")));
        startup.benchmarkLine("prewarmed").ifPresent(line -> {
            out.println(line);
            out.flush();
        });
    }

    /** Whether {@code manifest} is not a file; then says so. */
    private boolean missing(Path manifest) {
        if (Files.isRegularFile(manifest)) {
            return false;
        }
        err.println("piopiy: manifest " + manifest + " does not exist");
        return true;
    }

    /**
     * Loads the manifest, the plugins it uses and its services, runs {@code action}, closes everything.
     * Load failures are reported after the manifest, since only then are its plugins loaded.
     */
    private int withManifest(Path pluginsDir, Path manifest, ToIntFunction<CallAssembler> action) {
        if (missing(manifest)) {
            return INVALID_MANIFEST;
        }
        try (ProviderRegistry registry = ProviderRegistry.loadOnDemand(pluginsDir);
             RuntimeProviderContext context = new RuntimeProviderContext(environment)) {
            startup.mark("framework_loaded");
            CallAssembler assembler;
            try {
                assembler = CallAssembler.builder(registry, context).load(manifest);
            } catch (ManifestException e) {
                warnAboutLoadFailures(registry.loadReport());
                err.println(e.getMessage());
                return INVALID_MANIFEST;
            }
            try (assembler) {
                // validate and call check that every service gets ready (a model that does not load)
                List<ManifestError> failures = assembler.prewarm();
                if (!failures.isEmpty()) {
                    throw new ManifestException(manifest.getFileName().toString(), failures);
                }
                startup.mark("pipeline_built");
                warnAboutLoadFailures(registry.loadReport());
                return action.applyAsInt(assembler);
            } catch (ManifestException e) {
                err.println(e.getMessage());
                return INVALID_MANIFEST;
            }
        }
    }

    private void warnAboutLoadFailures(LoadReport report) {
        for (LoadReport.LoadFailure failure : report.failures()) {
            err.println("piopiy: warning: " + failure);
        }
    }

    /** The providers a manifest uses, by id: what {@code validate} confirms. */
    private static String describe(AgentManifest manifest) {
        PipelineSpec p = manifest.pipeline();
        return "stt " + describe(p.stt()) + ", llm " + describe(p.llm()) + ", tts " + describe(p.tts())
                + p.vad().map(v -> ", vad " + v.provider()).orElse("") + ", transport " + manifest.transport().provider();
    }

    private static String describe(ServiceSpec spec) {
        return switch (spec) {
            case ServiceSpec.ProviderSpec one -> one.provider();
            case ServiceSpec.SwitchSpec alternatives -> alternatives.services().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue().provider())
                    .collect(Collectors.joining(", ", "switch (", ", default " + alternatives.defaultService() + ")"));
        };
    }
}
