package ai.piopiy.bench;

import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.runtime.pipeline.EngineResources;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.Pipeline;
import ai.piopiy.runtime.pipeline.PipelineParams;
import ai.piopiy.runtime.pipeline.PipelineTask;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.runtime.processors.LlmProcessor;
import ai.piopiy.runtime.processors.SttProcessor;
import ai.piopiy.runtime.processors.TtsProcessor;
import ai.piopiy.runtime.processors.UserTurnProcessor;
import ai.piopiy.runtime.tools.ToolRegistry;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.audio.Pcm16;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.LlmResponseEndFrame;
import ai.piopiy.spi.frame.OutputAudioFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.spi.frame.UserStoppedSpeakingFrame;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W2 "concurrent paced calls": K calls in one JVM, each its own pipeline and driver: source (paced
 * by the engine's own timers) → energy VAD → STT (the engine's {@link SttProcessor} over a fake
 * service) → the engine's user-turn aggregator → the engine's {@link LlmProcessor} over a fake
 * 20-token streaming LLM → the engine's {@link TtsProcessor} (its own sentence aggregation) over a
 * fake synthesizer of 5 frames per sentence → sink. Exactly as shared/bench/WORKLOADS.md defines it.
 *
 * <p>Usage: {@code W2Calls K}. Prints one JSON line.
 */
public final class W2Calls {

    static final int FRAMES = 500;
    static final int TURNS = 9;
    static final int TTS_FRAMES_PER_CALL = 90;
    static final long FRAME_NANOS = 20_000_000L;
    static final String[] TOKENS = {"Sure", " thing", " here", " is", " the", " first", " part", " of", " my", " answer.",
            " This", " is", " the", " second", " part", " of", " the", " same", " answer", " today."};

    static final byte[] SPEECH = new byte[640];
    static final byte[] SILENCE = new byte[640];

    static {
        for (int n = 0; n < 320; n++) {
            Pcm16.putSample(SPEECH, n, (short) Math.round(3000 * Math.sin(2 * Math.PI * 440 * n / 16000.0)));
        }
    }

    static final AtomicLong lastArrival = new AtomicLong();

    /** One call's schedule and what its sink saw. */
    static final class Call {
        final int k;
        long base;
        final long[] audioArrival = new long[FRAMES];
        final long[] feederPush = new long[FRAMES];
        final long[] ttsArrival = new long[TTS_FRAMES_PER_CALL];
        final int[] ttsTurn = new int[TTS_FRAMES_PER_CALL];
        final int[] ttsSentence = new int[TTS_FRAMES_PER_CALL];
        int audioCount;
        int ttsCount;
        int responses;
        int responsesStarted;
        int ttsFramesThisResponse;
        PipelineTask task;

        Call(int k) {
            this.k = k;
        }
    }

    /** Stage 1: the call's timer pushes frame i at B_k + 20 ms * i, on absolute deadlines. */
    static final class Source extends FrameProcessor {
        private final Call call;
        private int next;

        Source(Call call) {
            super("source");
            this.call = call;
        }

        void begin(ProcessorContext ctx) {
            ctx.scheduleAt(call.base, () -> tick(ctx));
        }

        private ProcessorContext context;

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            if (frame instanceof StartFrame) {
                context = ctx;
            }
            ctx.push(frame, direction);
        }

        private void tick(ProcessorContext ctx) {
            int i = next++;
            call.feederPush[i] = System.nanoTime();
            ctx.pushDownstream(new InputAudioFrame((i % 50) >= 10 ? SPEECH : SILENCE, 16_000));
            if (next < FRAMES) {
                ctx.scheduleAt(call.base + FRAME_NANOS * next, () -> tick(ctx));
            }
        }
    }

    /** Stage 2: energy VAD, speech iff RMS >= 500; speaking events go before the audio frame. */
    static final class EnergyVad extends FrameProcessor {
        private boolean speaking;

        EnergyVad() {
            super("vad");
        }

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            if (frame instanceof InputAudioFrame audio) {
                boolean speech = Pcm16.rms(audio.pcm()) >= 500;
                if (speech && !speaking) {
                    ctx.pushDownstream(new UserStartedSpeakingFrame(System.nanoTime()));
                } else if (!speech && speaking) {
                    ctx.pushDownstream(new UserStoppedSpeakingFrame(System.nanoTime()));
                }
                speaking = speech;
            }
            ctx.push(frame, direction);
        }
    }

    /** Stage 3's service: counts frames, a final transcript at every 50th. */
    static final class CountingStt implements SttService {
        @Override
        public String name() {
            return "w2-stt";
        }

        @Override
        public SttStream openStream(SttStreamSpec spec, SttListener listener) {
            return new SttStream() {
                private int count;

                @Override
                public void sendAudio(byte[] pcm, int offset, int length) {
                    if (++count % 50 == 0) {
                        listener.onTranscript(Transcript.complete("this is what the user said in turn " + count / 50));
                    }
                }

                @Override
                public void close() {}
            };
        }
    }

    /** Stage 5's service: 20 tokens, token k at t_ctx + 5 ms * k (absolute), then the end. */
    static final class TimedLlm implements LlmService {
        private final ScheduledExecutorService scheduler;

        TimedLlm(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public String name() {
            return "w2-llm";
        }

        @Override
        public LlmStream stream(LlmRequest request, LlmListener listener) {
            long t0 = System.nanoTime();
            ScheduledFuture<?>[] next = new ScheduledFuture<?>[1];
            Runnable[] step = new Runnable[1];
            int[] k = {1};
            step[0] = () -> {
                int i = k[0]++;
                listener.onText(TOKENS[i - 1]);
                if (i == TOKENS.length) {
                    listener.onComplete();
                } else {
                    next[0] = scheduler.schedule(step[0], t0 + 5_000_000L * (i + 1) - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
            };
            next[0] = scheduler.schedule(step[0], t0 + 5_000_000L - System.nanoTime(), TimeUnit.NANOSECONDS);
            return () -> next[0].cancel(false);
        }
    }

    /** Stage 6's service: 5 frames of 640 bytes per sentence. */
    static final class FiveFrameTts implements TtsService {
        private static final byte[] AUDIO = new byte[640];

        @Override
        public String name() {
            return "w2-tts";
        }

        @Override
        public TtsSession openSession(AudioFormat outputFormat, String callId) {
            return new TtsSession() {
                @Override
                public TtsUtterance startUtterance(TtsListener listener) {
                    return new TtsUtterance() {
                        @Override
                        public void sendText(String text) {
                            for (int i = 0; i < 5; i++) {
                                listener.onAudio(AUDIO);
                            }
                        }

                        @Override
                        public void finish() {
                            listener.onDone();
                        }

                        @Override
                        public void cancel() {}
                    };
                }

                @Override
                public void close() {}
            };
        }
    }

    /** Stage 7: records arrivals of input audio and TTS audio; forwards everything else. */
    static final class Sink extends FrameProcessor {
        private final Call call;

        Sink(Call call) {
            super("sink");
            this.call = call;
        }

        @Override
        public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
            long now = System.nanoTime();
            switch (frame) {
                case InputAudioFrame a -> {
                    call.audioArrival[call.audioCount++] = now;
                    lastArrival.set(now);
                }
                case OutputAudioFrame a -> {
                    if (call.ttsCount < TTS_FRAMES_PER_CALL) {
                        call.ttsTurn[call.ttsCount] = call.responsesStarted;
                        call.ttsSentence[call.ttsCount] = call.ttsFramesThisResponse < 5 ? 1 : 2;
                        call.ttsArrival[call.ttsCount++] = now;
                    }
                    call.ttsFramesThisResponse++;
                    lastArrival.set(now);
                }
                case ai.piopiy.spi.frame.LlmResponseStartFrame s -> {
                    call.responsesStarted++;
                    call.ttsFramesThisResponse = 0;
                    ctx.push(frame, direction);
                }
                case LlmResponseEndFrame e -> {
                    call.responses++;
                    lastArrival.set(now);
                    ctx.push(frame, direction);
                }
                default -> ctx.push(frame, direction);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        EngineResources resources = EngineResources.shared();
        LlmService llm = new TimedLlm(resources.scheduler());
        SttService stt = new CountingStt();
        TtsService tts = new FiveFrameTts();
        List<Call> calls = new ArrayList<>(k);
        List<Source> sources = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            Call call = new Call(c);
            Source source = new Source(call);
            ConversationContext context = new ConversationContext();
            Pipeline pipeline = Pipeline.of(source, new EnergyVad(), new SttProcessor(stt),
                    new UserTurnProcessor(context, false, null, Duration.ofMillis(500)),
                    new LlmProcessor(llm, context, new ToolRegistry()), new TtsProcessor(tts), new Sink(call));
            call.task = new PipelineTask(pipeline, PipelineParams.builder("w2-" + c)
                    .metricsEnabled(false).events(CallEventListener.NONE).resources(resources).build());
            call.task.start();
            calls.add(call);
            sources.add(source);
        }
        for (Call call : calls) {
            call.task.awaitStarted(Duration.ofSeconds(30));
        }
        System.gc();
        double rssReady = Measure.rssMib();
        long t0 = System.nanoTime() + 200_000_000L;
        for (int c = 0; c < k; c++) {
            calls.get(c).base = t0 + 1_000_000_000L * c / k;
            sources.get(c).begin(sources.get(c).context);
        }
        long cpu0 = Measure.processCpuNanos();
        long giveUp = t0 + 60_000_000_000L + 10_000_000_000L;
        boolean gaveUp = false;
        while (true) {
            Thread.sleep(50);
            long now = System.nanoTime();
            boolean allAudio = calls.stream().allMatch(c -> c.audioCount == FRAMES);
            if (allAudio && now - lastArrival.get() >= 1_500_000_000L) {
                break;
            }
            if (now > giveUp) {
                gaveUp = true;
                break;
            }
        }
        long cpu1 = Measure.processCpuNanos();
        long last = lastArrival.get();

        int audioTotal = 0;
        int ttsTotal = 0;
        int responses = 0;
        long[] audioLate = new long[k * FRAMES];
        long[] feederLate = new long[k * FRAMES];
        long[] ttsLate = new long[k * TTS_FRAMES_PER_CALL];
        for (Call call : calls) {
            for (int i = 0; i < call.audioCount; i++) {
                long ideal = call.base + FRAME_NANOS * i;
                audioLate[audioTotal] = call.audioArrival[i] - ideal;
                feederLate[audioTotal++] = call.feederPush[i] - ideal;
            }
            for (int j = 0; j < call.ttsCount; j++) {
                int turn = call.ttsTurn[j];
                long ideal = call.base + FRAME_NANOS * 50L * turn + (call.ttsSentence[j] == 1 ? 55_000_000L : 100_000_000L);
                ttsLate[ttsTotal++] = call.ttsArrival[j] - ideal;
            }
            responses += call.responses;
        }
        long[] audioSorted = Measure.sorted(audioLate, audioTotal);
        long[] feederSorted = Measure.sorted(feederLate, audioTotal);
        long[] ttsSorted = Measure.sorted(ttsLate, ttsTotal);
        double wall = (last - t0) / 1e9;
        System.out.println(new Measure.JsonLine()
                .put("workload", "W2").put("calls", k)
                .put("audio_lateness.p50_ms", Measure.percentile(audioSorted, 50) / 1e6)
                .put("audio_lateness.p99_ms", Measure.percentile(audioSorted, 99) / 1e6)
                .put("audio_lateness.max_ms", audioTotal == 0 ? 0.0 : audioSorted[audioTotal - 1] / 1e6)
                .put("audio_lateness.mean_ms", Measure.mean(audioSorted) / 1e6)
                .put("tts_lateness.p50_ms", Measure.percentile(ttsSorted, 50) / 1e6)
                .put("tts_lateness.p99_ms", Measure.percentile(ttsSorted, 99) / 1e6)
                .put("tts_lateness.max_ms", ttsTotal == 0 ? 0.0 : ttsSorted[ttsTotal - 1] / 1e6)
                .put("feeder_lateness.p50_ms", Measure.percentile(feederSorted, 50) / 1e6)
                .put("feeder_lateness.p99_ms", Measure.percentile(feederSorted, 99) / 1e6)
                .put("audio_frames.got", audioTotal).put("audio_frames.expected", k * FRAMES)
                .put("tts_frames.got", ttsTotal).put("tts_frames.expected", k * TTS_FRAMES_PER_CALL)
                .put("llm_responses.got", responses).put("llm_responses.expected", k * TURNS)
                .put("cpu_s", (cpu1 - cpu0) / 1e9)
                .put("cpu_util", (cpu1 - cpu0) / 1e9 / wall)
                .put("rss_ready_mib", rssReady)
                .put("peak_rss_mib", Measure.peakRssMib())
                .put("gave_up", gaveUp)
                .put("java", Runtime.version().toString()));
        for (Call call : calls) {
            call.task.cancel("benchmark over");
        }
        System.exit(0);
    }
}
