package ai.piopiy.runtime.processors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.VoiceAgent;
import ai.piopiy.runtime.context.ConversationContext;
import ai.piopiy.runtime.pipeline.CallOutcome;
import ai.piopiy.runtime.pipeline.Pipeline;
import ai.piopiy.runtime.pipeline.PipelineParams;
import ai.piopiy.runtime.pipeline.PipelineTask;
import ai.piopiy.runtime.tools.ToolRegistry;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.FunctionCallResultFrame;
import ai.piopiy.spi.frame.InputAudioFrame;
import ai.piopiy.spi.frame.InterimTranscriptionFrame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.LlmContextFrame;
import ai.piopiy.spi.frame.LlmResponseEndFrame;
import ai.piopiy.spi.frame.LlmResponseStartFrame;
import ai.piopiy.spi.frame.LlmTextFrame;
import ai.piopiy.spi.frame.TranscriptionFrame;
import ai.piopiy.spi.frame.UserStartedSpeakingFrame;
import ai.piopiy.spi.frame.UserStoppedSpeakingFrame;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.ToolDefinition;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.FakeLlmService.Rule;
import ai.piopiy.testing.FakeLlmService;
import ai.piopiy.testing.FakeSttService;
import ai.piopiy.testing.FakeTtsService;
import ai.piopiy.testing.FrameRecorder;
import ai.piopiy.testing.SimulatedCaller;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProcessorsTest {

    static PipelineTask run(FrameRecorder sink, ai.piopiy.runtime.pipeline.FrameProcessor... processors) throws Exception {
        var all = new java.util.ArrayList<ai.piopiy.runtime.pipeline.FrameProcessor>(List.of(processors));
        all.add(sink);
        PipelineTask task = new PipelineTask(new Pipeline(all), PipelineParams.builder("t").build());
        task.start();
        task.awaitStarted(Duration.ofSeconds(5));
        return task;
    }

    // ---- user turns

    @Test
    void aFinalThatArrivesAfterTheStopIsWaitedForAndSentOnce() throws Exception {
        ConversationContext context = new ConversationContext();
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, new UserTurnProcessor(context, true, null, Duration.ofMillis(400)));
        task.queueFrame(new UserStartedSpeakingFrame(0));
        task.queueFrame(new InterimTranscriptionFrame("book a", null, 0));
        task.queueFrame(new UserStoppedSpeakingFrame(0));
        Thread.sleep(150);
        assertThat(sink.downstream).noneMatch(f -> f instanceof LlmContextFrame);
        task.queueFrame(new TranscriptionFrame("book a table", null, 0));
        sink.await(f -> f instanceof LlmContextFrame, Duration.ofSeconds(2));
        Thread.sleep(500);
        assertThat(sink.downstream).filteredOn(f -> f instanceof LlmContextFrame).hasSize(1);
        assertThat(context.snapshot()).containsExactly(LlmMessage.user("book a table"));
        task.cancel("done");
    }

    @Test
    void whenTheFinalNeverComesTheInterimIsUsedAndTheLateFinalIsNotSentAgain() throws Exception {
        ConversationContext context = new ConversationContext();
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, new UserTurnProcessor(context, true, null, Duration.ofMillis(200)));
        task.queueFrame(new UserStartedSpeakingFrame(0));
        task.queueFrame(new InterimTranscriptionFrame("what time is it", null, 0));
        task.queueFrame(new UserStoppedSpeakingFrame(0));
        sink.await(f -> f instanceof LlmContextFrame, Duration.ofSeconds(2));
        task.queueFrame(new TranscriptionFrame("what time is it", null, 0)); // the late final
        Thread.sleep(400);
        assertThat(sink.downstream).filteredOn(f -> f instanceof LlmContextFrame).hasSize(1);
        assertThat(context.snapshot()).containsExactly(LlmMessage.user("what time is it"));
        task.cancel("done");
    }

    @Test
    void aTranscriptWithoutAnyVadEndsItsTurnAfterTheWait() throws Exception {
        ConversationContext context = new ConversationContext();
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, new UserTurnProcessor(context, false, null, Duration.ofMillis(100)));
        task.queueFrame(new TranscriptionFrame("hello there", null, 0));
        sink.await(f -> f instanceof LlmContextFrame, Duration.ofSeconds(2));
        assertThat(context.snapshot()).containsExactly(LlmMessage.user("hello there"));
        task.cancel("done");
    }

    // ---- LLM and tools

    @Test
    void cancellingTheCallClosesTheStreamInFlight() throws Exception {
        FakeLlmService llm = new FakeLlmService("llm", List.of(), "one two three four five six seven eight", 100);
        FrameRecorder sink = new FrameRecorder("sink");
        ConversationContext context = new ConversationContext(List.of(LlmMessage.user("hi")));
        PipelineTask task = run(sink, new LlmProcessor(llm, context, new ToolRegistry()));
        task.queueFrame(new LlmContextFrame(context.snapshot()));
        sink.await(f -> f instanceof LlmTextFrame, Duration.ofSeconds(2));
        task.cancel("hung up");
        CallOutcome outcome = task.awaitTermination();
        assertThat(outcome.cancelled()).isTrue();
        assertThat(llm.cancelled.get()).isEqualTo(1);
        int texts = (int) sink.downstream.stream().filter(f -> f instanceof LlmTextFrame).count();
        Thread.sleep(300);
        assertThat(sink.downstream.stream().filter(f -> f instanceof LlmTextFrame).count()).isEqualTo(texts);
        assertThat(texts).isLessThan(8);
    }

    @Test
    void aToolRunningWhenTheCallerInterruptsIsCancelledAndAnsweredForAtOnce() throws Exception {
        FakeLlmService llm = new FakeLlmService("llm", List.of(
                Rule.tool("order", "place_order", "{}", r -> "Done."),
                Rule.say("instead", "Okay, something else then.")), "?", 5);
        ToolRegistry tools = new ToolRegistry();
        CountDownLatch toolStarted = new CountDownLatch(1);
        CountDownLatch toolInterrupted = new CountDownLatch(1);
        tools.register(new ToolDefinition("place_order", "slow", "{}"), args -> {
            toolStarted.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                toolInterrupted.countDown();
                throw e;
            }
            return "{}";
        }, Duration.ofSeconds(30));
        ConversationContext context = new ConversationContext();
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, new UserTurnProcessor(context, true, null, Duration.ofMillis(50)), new LlmProcessor(llm, context, tools));
        task.queueFrame(new TranscriptionFrame("place my order", null, 0));
        assertThat(toolStarted.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        task.queueFrame(new InterruptionFrame());
        task.queueFrame(new TranscriptionFrame("no do something else instead", null, 0));
        sink.await(f -> f instanceof LlmResponseEndFrame, Duration.ofSeconds(15));
        // the tool would sleep 10 s: an answer well before that shows the turn did not wait for it
        assertThat(System.nanoTime() - t0).as("the next turn does not wait for the tool").isLessThan(5_000_000_000L);
        assertThat(toolInterrupted.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.downstream).anyMatch(f -> f instanceof FunctionCallResultFrame r && r.cancelled());
        List<LlmMessage> messages = context.snapshot();
        assertThat(messages.get(0)).isEqualTo(LlmMessage.user("place my order"));
        assertThat(messages.get(1)).isInstanceOf(LlmMessage.AssistantMessage.class);
        assertThat(messages.get(2)).isInstanceOfSatisfying(LlmMessage.ToolResultMessage.class,
                m -> assertThat(m.content()).contains("cancelled"));
        assertThat(messages.get(3)).isEqualTo(LlmMessage.user("no do something else instead"));
        task.cancel("done");
    }

    @Test
    void aToolThatTakesTooLongAnswersWithATimeout() throws Exception {
        FakeLlmService llm = new FakeLlmService("llm", List.of(Rule.tool("slow", "slow_tool", "{}", r -> r.contains("timed out") ? "It timed out." : "?")), "?", 5);
        ToolRegistry tools = new ToolRegistry();
        tools.register(new ToolDefinition("slow_tool", "slow", "{}"), args -> {
            Thread.sleep(10_000);
            return "{}";
        }, Duration.ofMillis(200));
        ConversationContext context = new ConversationContext(List.of(LlmMessage.user("be slow")));
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, new LlmProcessor(llm, context, tools));
        task.queueFrame(new LlmContextFrame(context.snapshot()));
        sink.await(f -> f instanceof LlmResponseEndFrame, Duration.ofSeconds(5));
        assertThat(sink.downstream).filteredOn(f -> f instanceof LlmTextFrame).extracting(f -> ((LlmTextFrame) f).text())
                .containsExactly("It", " timed", " out.");
        task.cancel("done");
    }

    @Test
    void anLlmFailureIsReportedAndTheResponseStillEnds() throws Exception {
        FakeLlmService llm = new FakeLlmService("llm", List.of(), "a b c", 5);
        llm.failNext(new ServiceException("llm", "HTTP 503 from the provider: overloaded"));
        FrameRecorder top = new FrameRecorder("top");
        FrameRecorder sink = new FrameRecorder("sink");
        ConversationContext context = new ConversationContext(List.of(LlmMessage.user("hi")));
        PipelineTask task = run(sink, top, new LlmProcessor(llm, context, new ToolRegistry()));
        task.queueFrame(new LlmContextFrame(context.snapshot()));
        sink.await(f -> f instanceof LlmResponseEndFrame, Duration.ofSeconds(2));
        assertThat(top.upstream).anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(ErrorFrame.class,
                e -> assertThat(e.message()).contains("overloaded")));
        assertThat(task.isFinished()).isFalse();
        task.cancel("done");
    }

    @Test
    void anAnswerTheTtsNeverSpeaksIsGivenUpAndTheTurnStillEnds() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        // a provider that takes the text and then says nothing, ever (a server that stopped answering)
        TtsService mute = new TtsService() {
            @Override
            public String name() {
                return "mute";
            }

            @Override
            public TtsSession openSession(AudioFormat outputFormat, String callId) {
                return new TtsSession() {
                    @Override
                    public TtsUtterance startUtterance(TtsListener listener) {
                        return new TtsUtterance() {
                            @Override
                            public void sendText(String text) {}

                            @Override
                            public void finish() {}

                            @Override
                            public void cancel() {
                                cancelled.countDown();
                            }
                        };
                    }

                    @Override
                    public void close() {}
                };
            }
        };
        FrameRecorder top = new FrameRecorder("top");
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, top, new TtsProcessor(mute, Duration.ofMillis(300)));
        task.queueFrame(new LlmResponseStartFrame(1));
        task.queueFrame(new LlmTextFrame("Your table is booked."));
        task.queueFrame(new LlmResponseEndFrame(1));

        sink.await(f -> f instanceof LlmResponseEndFrame, Duration.ofSeconds(5));
        assertThat(cancelled.await(1, TimeUnit.SECONDS)).as("the utterance is cancelled").isTrue();
        assertThat(top.upstream).anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(ErrorFrame.class, e -> {
            assertThat(e.fatal()).isFalse();
            assertThat(e.message()).contains("mute", "sent nothing");
        }));
        assertThat(task.isFinished()).isFalse();
        task.cancel("done");
    }

    @Test
    void aSlowButSteadyTtsIsNotTakenForAStall() throws Exception {
        // 20 ms of audio every 100 ms for 3 s: each chunk is progress, so a 300 ms guard never fires
        FakeTtsService slow = new FakeTtsService("slow", 440, 40, 100, 100, false);
        FrameRecorder top = new FrameRecorder("top");
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, top, new TtsProcessor(slow, Duration.ofMillis(300)));
        task.queueFrame(new LlmResponseStartFrame(1));
        task.queueFrame(new LlmTextFrame("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen."));
        task.queueFrame(new LlmResponseEndFrame(1));

        sink.await(f -> f instanceof LlmResponseEndFrame, Duration.ofSeconds(10));
        assertThat(top.upstream).noneMatch(f -> f instanceof ErrorFrame);
        task.cancel("done");
    }

    // ---- switching and guards

    @Test
    void switchingTheSttReopensTheStreamOnTheNewService() throws Exception {
        FakeSttService a = new FakeSttService(List.of(), 100, 10);
        FakeSttService b = new FakeSttService(List.of(), 100, 10);
        ServiceSwitcher<SttService> stt = new ServiceSwitcher<>(Map.of("a", a, "b", b), "a");
        FrameRecorder sink = new FrameRecorder("sink");
        PipelineTask task = run(sink, new SttProcessor(stt));
        task.queueFrame(new InputAudioFrame(new byte[640], 16_000));
        stt.switchTo("b");
        task.queueFrame(new InputAudioFrame(new byte[640], 16_000));
        task.end("done");
        task.awaitTermination();
        assertThat(a.streamsOpened.get()).isEqualTo(1);
        assertThat(a.streamsClosed.get()).isEqualTo(1);
        assertThat(b.streamsOpened.get()).isEqualTo(1);
        assertThat(b.streamsClosed.get()).isEqualTo(1);
        assertThat(stt.currentName()).isEqualTo("b");
    }

    @Test
    void anIdleCallSaysGoodbyeAndEnds() throws Exception {
        FakeTtsService tts = new FakeTtsService("tts", 440, 40, 10, true);
        SimulatedCaller caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_16K);
        VoiceAgent agent = new VoiceAgent("test")
                .action(new FakeSttService(List.of(), 100, 10), new FakeLlmService("llm", List.of(), "?", 5), tts)
                .transport(caller)
                .idleTimeout(Duration.ofMillis(300))
                .goodbye("Goodbye now.");
        long t0 = System.nanoTime();
        CallOutcome outcome = agent.start();
        assertThat(outcome.cancelled()).isFalse();
        assertThat(outcome.reason()).startsWith("idle");
        assertThat(tts.texts).containsExactly("Goodbye now.");
        assertThat(caller.received).isNotEmpty(); // the goodbye was played before the end
        assertThat(System.nanoTime() - t0).isLessThan(3_000_000_000L);
    }

    @Test
    void aCallEndsAtItsMaximumDuration() throws Exception {
        SimulatedCaller caller = new SimulatedCaller(AudioFormat.PCM16_16K, AudioFormat.PCM16_16K).speak(2000);
        VoiceAgent agent = new VoiceAgent("test")
                .action(new FakeSttService(List.of("la la la"), 100, 10), new FakeLlmService("llm", List.of(), "?", 5),
                        new FakeTtsService("tts", 440, 40, 10, true), true, false, null)
                .transport(caller)
                .maxCallDuration(Duration.ofMillis(400))
                .goodbye("");
        CallOutcome outcome = agent.start();
        assertThat(outcome.reason()).startsWith("maximum call duration");
        assertThat(caller.isClosed()).isTrue();
    }
}
