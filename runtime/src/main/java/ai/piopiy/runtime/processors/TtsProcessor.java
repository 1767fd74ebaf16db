package ai.piopiy.runtime.processors;

import static java.util.Objects.requireNonNull;

import ai.piopiy.ServiceSwitcher;
import ai.piopiy.runtime.pipeline.Cancellable;
import ai.piopiy.runtime.pipeline.FrameDirection;
import ai.piopiy.runtime.pipeline.FrameProcessor;
import ai.piopiy.runtime.pipeline.ProcessorContext;
import ai.piopiy.runtime.text.SentenceAggregator;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.InterruptionFrame;
import ai.piopiy.spi.frame.LlmResponseEndFrame;
import ai.piopiy.spi.frame.LlmResponseStartFrame;
import ai.piopiy.spi.frame.LlmTextFrame;
import ai.piopiy.spi.frame.OutputAudioFrame;
import ai.piopiy.spi.frame.SpeakFrame;
import ai.piopiy.spi.frame.StartFrame;
import ai.piopiy.spi.frame.TtsStartedFrame;
import ai.piopiy.spi.frame.TtsStoppedFrame;
import ai.piopiy.spi.frame.TtsTextFrame;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.tts.TtsListener;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsSession;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.spi.tts.WordTimestamp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Speaks the LLM's answers: collects streamed text into sentences, feeds them to one TTS utterance per
 * answer (a greeting or other {@link SpeakFrame} is an answer of its own) and pushes the audio
 * downstream as it arrives.
 *
 * <p>It also says which words go with which audio: after each audio chunk it pushes a
 * {@link TtsTextFrame} for every word that starts within the audio pushed so far — from the
 * provider's word timestamps when it gives them, else estimated from the call's measured speaking
 * rate. The output transport releases those frames only once the audio before them is sent, which is
 * how the conversation ends up holding only what the caller heard.
 *
 * <p>Answers are spoken one at a time, in order; an answer whose text arrives while an earlier one is
 * still speaking waits. An interruption cancels every utterance and drops late audio.
 */
public final class TtsProcessor extends FrameProcessor {

    /** Speaking-rate prior before the call has measured its own: about 150 words a minute. */
    private static final double DEFAULT_CHARS_PER_SECOND = 14.0;

    private final TtsService service;
    private final SentenceAggregator aggregator = new SentenceAggregator();
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private TtsSession session;
    private int sessionSwitcherGeneration;
    private AudioFormat format;
    private Job textJob;
    private int generation;
    private long nextSpeakId = -1;
    private long nextUtteranceId = 1;
    private EndFrame pendingEnd;
    private double charsPerSecond = DEFAULT_CHARS_PER_SECOND;
    private double measuredChars;
    private double measuredSeconds;

    /**
     * How long a finished answer may go without audio, and without the provider saying it is done,
     * before it is given up: a provider that stops answering must not leave the call mute forever.
     */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);

    private final long stallTimeoutNanos;

    public TtsProcessor(TtsService service) {
        this(service, DEFAULT_STALL_TIMEOUT);
    }

    /** @param stallTimeout see {@link #DEFAULT_STALL_TIMEOUT} */
    public TtsProcessor(TtsService service, Duration stallTimeout) {
        super("tts");
        this.service = requireNonNull(service, "service is null");
        requireNonNull(stallTimeout, "stallTimeout is null");
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
        }
        this.stallTimeoutNanos = stallTimeout.toNanos();
    }

    /** One answer to speak. */
    private static final class Job {
        final long responseId;
        final long utteranceId;
        final List<String> pendingTexts = new ArrayList<>();
        final StringBuilder fullText = new StringBuilder();
        final List<Frame> trailing = new ArrayList<>(1);
        final List<WordTimestamp> timestamps = new ArrayList<>();
        boolean finishRequested;
        boolean activated;
        boolean done;
        TtsUtterance utterance;
        long audioBytes;
        boolean firstAudio = true;
        long firstTextNanos;
        int wordsPushed;
        int textCursor;
        /** When the answer last moved: its finish was asked for, or audio came. */
        long lastProgressNanos;
        Cancellable stallCheck;

        Job(long responseId, long utteranceId) {
            this.responseId = responseId;
            this.utteranceId = utteranceId;
        }
    }

    @Override
    public void process(Frame frame, FrameDirection direction, ProcessorContext ctx) {
        if (direction == FrameDirection.UPSTREAM) {
            ctx.push(frame, direction);
            return;
        }
        switch (frame) {
            case StartFrame start -> {
                format = start.outputFormat();
                ctx.push(frame, direction);
            }
            case LlmResponseStartFrame start -> {
                aggregator.reset();
                textJob = new Job(start.responseId(), nextUtteranceId++);
                jobs.add(textJob);
                pump(ctx);
            }
            case LlmTextFrame text -> {
                if (textJob != null) {
                    for (String sentence : aggregator.append(text.text())) {
                        send(textJob, sentence, ctx);
                    }
                }
            }
            case LlmResponseEndFrame end -> {
                if (textJob != null && textJob.responseId == end.responseId()) {
                    String rest = aggregator.flush();
                    if (rest != null) {
                        send(textJob, rest, ctx);
                    }
                    textJob.trailing.add(end);
                    requestFinish(textJob, ctx);
                    textJob = null;
                    pump(ctx);
                } else {
                    ctx.push(frame, direction);
                }
            }
            case SpeakFrame speak -> {
                Job job = new Job(nextSpeakId--, nextUtteranceId++);
                jobs.add(job);
                send(job, speak.text(), ctx);
                job.trailing.add(new LlmResponseEndFrame(job.responseId));
                requestFinish(job, ctx);
                pump(ctx);
            }
            case InterruptionFrame i -> {
                cancelAll();
                ctx.push(frame, direction);
            }
            case EndFrame end -> {
                if (jobs.isEmpty()) {
                    ctx.push(frame, direction);
                } else {
                    pendingEnd = end; // finish speaking first
                }
            }
            case CancelFrame c -> {
                cancelAll();
                ctx.push(frame, direction);
            }
            default -> ctx.push(frame, direction);
        }
    }

    private void send(Job job, String text, ProcessorContext ctx) {
        if (job.fullText.isEmpty()) {
            job.firstTextNanos = ctx.nanoTime();
        } else {
            job.fullText.append(' ');
        }
        job.fullText.append(text);
        ctx.events().ttsRequestStarted(text, ctx.nanoTime());
        ctx.events().metric(new Metric.TtsCharacters(name(), text.length()));
        if (job.activated && job.utterance != null) {
            job.utterance.sendText(text);
        } else {
            job.pendingTexts.add(text);
            pump(ctx);
        }
    }

    private void requestFinish(Job job, ProcessorContext ctx) {
        job.finishRequested = true;
        if (job.activated && job.utterance != null) {
            job.utterance.finish();
            watchForStall(job, ctx);
        }
    }

    /**
     * Arms the stall guard of an answer whose text is all sent: until then a provider may rightly
     * wait for more. A timer per answer, moved only when it fires, not per audio chunk.
     */
    private void watchForStall(Job job, ProcessorContext ctx) {
        job.lastProgressNanos = ctx.nanoTime();
        if (job.stallCheck == null) {
            int gen = generation;
            job.stallCheck = ctx.scheduleAt(job.lastProgressNanos + stallTimeoutNanos, () -> checkStall(job, gen, ctx));
        }
    }

    private void checkStall(Job job, int gen, ProcessorContext ctx) {
        job.stallCheck = null;
        if (gen != generation || job.done) {
            return;
        }
        long quietUntil = job.lastProgressNanos + stallTimeoutNanos;
        if (ctx.nanoTime() < quietUntil) {
            job.stallCheck = ctx.scheduleAt(quietUntil, () -> checkStall(job, gen, ctx));
            return;
        }
        job.utterance.cancel();
        String message = "the " + service.name() + " text-to-speech sent nothing for "
                + Duration.ofNanos(stallTimeoutNanos).toSeconds() + " s; the rest of the answer is skipped";
        ctx.pushUpstream(new ErrorFrame(name(), message, new ServiceException(service.name(), message), false));
        complete(job, ctx, false);
    }

    /** Starts the oldest answer when it is ready, and moves past the finished ones. */
    private void pump(ProcessorContext ctx) {
        Job head;
        while ((head = jobs.peek()) != null) {
            if (!head.activated) {
                if (head.pendingTexts.isEmpty() && !head.finishRequested) {
                    return; // nothing to say yet
                }
                activate(head, ctx);
            }
            if (!head.done) {
                return;
            }
            jobs.poll();
        }
        if (pendingEnd != null) {
            EndFrame end = pendingEnd;
            pendingEnd = null;
            ctx.pushDownstream(end);
        }
    }

    private void activate(Job job, ProcessorContext ctx) {
        job.activated = true;
        ctx.pushDownstream(new LlmResponseStartFrame(job.responseId));
        if (job.pendingTexts.isEmpty()) {
            complete(job, ctx); // an answer with no words (only tool calls, or empty)
            return;
        }
        try {
            ensureSession(ctx);
            ctx.pushDownstream(new TtsStartedFrame(job.utteranceId));
            job.utterance = session.startUtterance(new Listener(ctx, job, generation));
            for (String text : job.pendingTexts) {
                job.utterance.sendText(text);
            }
            job.pendingTexts.clear();
            if (job.finishRequested) {
                job.utterance.finish();
                watchForStall(job, ctx);
            }
        } catch (ServiceException e) {
            ctx.pushUpstream(new ErrorFrame(name(), e.getMessage(), e, e.fatal()));
            complete(job, ctx);
        }
    }

    private void ensureSession(ProcessorContext ctx) {
        if (service instanceof ServiceSwitcher<?> sw && session != null && sw.generation() != sessionSwitcherGeneration) {
            session.close();
            session = null;
        }
        if (session == null) {
            if (service instanceof ServiceSwitcher<?> sw) {
                sessionSwitcherGeneration = sw.generation();
            }
            session = service.openSession(format, ctx.callId());
        }
    }

    private void onAudio(Job job, byte[] pcm, ProcessorContext ctx) {
        if (job.firstAudio) {
            job.firstAudio = false;
            long now = ctx.nanoTime();
            ctx.events().ttsFirstAudio(now);
            ctx.events().metric(new Metric.TimeToFirstByte(name(), now - job.firstTextNanos));
        }
        ctx.pushDownstream(new OutputAudioFrame(pcm, format.sampleRate()));
        job.audioBytes += pcm.length;
        if (job.stallCheck != null) {
            job.lastProgressNanos = ctx.nanoTime();
        }
        pushHeardWords(job, seconds(job), ctx);
    }

    /** Pushes a text frame for every word that starts before {@code untilSeconds} of the answer's audio. */
    private void pushHeardWords(Job job, double untilSeconds, ProcessorContext ctx) {
        int due;
        if (untilSeconds == Double.MAX_VALUE) {
            due = Integer.MAX_VALUE;
        } else if (!job.timestamps.isEmpty()) {
            due = 0;
            for (WordTimestamp w : job.timestamps) {
                if (w.startSeconds() <= untilSeconds) {
                    due++;
                }
            }
        } else {
            due = Integer.MAX_VALUE; // estimate below, word by word
        }
        String text = job.fullText.toString();
        while (job.wordsPushed < due) {
            int start = job.textCursor;
            while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            if (start >= text.length()) {
                return;
            }
            if (due == Integer.MAX_VALUE && untilSeconds != Double.MAX_VALUE && start / charsPerSecond > untilSeconds) {
                return;
            }
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            job.textCursor = end;
            job.wordsPushed++;
            ctx.pushDownstream(new TtsTextFrame(text.substring(start, end)));
        }
    }

    private double seconds(Job job) {
        return (job.audioBytes / 2) / (double) format.sampleRate();
    }

    private void complete(Job job, ProcessorContext ctx) {
        complete(job, ctx, true);
    }

    /** @param allSpoken whether all of the answer's audio came (false after a failure: only what came counts) */
    private void complete(Job job, ProcessorContext ctx, boolean allSpoken) {
        if (job.done) {
            return;
        }
        job.done = true;
        if (job.stallCheck != null) {
            job.stallCheck.cancel();
            job.stallCheck = null;
        }
        if (job.utterance != null) {
            if (allSpoken) {
                pushHeardWords(job, Double.MAX_VALUE, ctx);
            }
            ctx.pushDownstream(new TtsStoppedFrame(job.utteranceId));
            ctx.events().metric(new Metric.ProcessingTime(name(), ctx.nanoTime() - job.firstTextNanos));
            double secs = seconds(job);
            if (secs > 0.5 && job.timestamps.isEmpty()) {
                measuredChars += job.fullText.length();
                measuredSeconds += secs;
                charsPerSecond = measuredChars / measuredSeconds;
            }
        }
        for (Frame f : job.trailing) {
            ctx.pushDownstream(f);
        }
        pump(ctx);
    }

    private void cancelAll() {
        generation++;
        for (Job job : jobs) {
            if (job.stallCheck != null) {
                job.stallCheck.cancel();
                job.stallCheck = null;
            }
            if (job.utterance != null && !job.done) {
                job.utterance.cancel();
            }
        }
        jobs.clear();
        textJob = null;
        aggregator.reset();
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        cancelAll();
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Hands an utterance's output to the lane; output of a cancelled utterance is dropped there. */
    private final class Listener implements TtsListener {
        private final ProcessorContext ctx;
        private final Job job;
        private final int gen;

        Listener(ProcessorContext ctx, Job job, int gen) {
            this.ctx = ctx;
            this.job = job;
            this.gen = gen;
        }

        private boolean live() {
            return gen == generation && !job.done;
        }

        @Override
        public void onAudio(byte[] pcm) {
            ctx.post(() -> {
                if (live()) {
                    TtsProcessor.this.onAudio(job, pcm, ctx);
                }
            });
        }

        @Override
        public void onWordTimestamps(List<WordTimestamp> words) {
            List<WordTimestamp> copy = List.copyOf(words);
            ctx.post(() -> {
                if (live()) {
                    job.timestamps.addAll(copy);
                    pushHeardWords(job, seconds(job), ctx);
                }
            });
        }

        @Override
        public void onDone() {
            ctx.post(() -> {
                if (live()) {
                    complete(job, ctx);
                }
            });
        }

        @Override
        public void onError(ServiceException error) {
            ctx.post(() -> {
                if (live()) {
                    ctx.pushUpstream(new ErrorFrame(name(), error.getMessage(), error, error.fatal()));
                    complete(job, ctx, false);
                }
            });
        }
    }
}
