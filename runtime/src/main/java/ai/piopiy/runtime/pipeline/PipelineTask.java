package ai.piopiy.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import ai.piopiy.runtime.pipeline.internal.RunningPipeline;
import ai.piopiy.spi.frame.CancelFrame;
import ai.piopiy.spi.frame.EndFrame;
import ai.piopiy.spi.frame.ErrorFrame;
import ai.piopiy.spi.frame.Frame;
import ai.piopiy.spi.frame.StartFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline: starts it, feeds it, ends or cancels it, and tells when it is over.
 *
 * <p>Ordering: {@link #start()} sends a start frame that every processor sees first.
 * {@link #end} queues an end frame behind everything already queued (the bot finishes what it is
 * saying); {@link #cancel} overtakes queued frames and stops the call now. The pipeline is over when
 * the end or cancel frame has come out of the last processor; then every processor's cleanup runs,
 * on the lane, and {@link #termination()} completes. A fatal error frame arriving at the top ends
 * this pipeline, and only this one.
 */
public final class PipelineTask {

    private static final Logger log = LoggerFactory.getLogger(PipelineTask.class);

    private final PipelineParams params;
    private final RunningPipeline running;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<CallOutcome> termination = new CompletableFuture<>();
    private final AtomicBoolean startSent = new AtomicBoolean();
    private volatile ErrorFrame fatalError;
    private volatile ScheduledFuture<?> stopGuard;

    public PipelineTask(Pipeline pipeline, PipelineParams params) {
        this.params = requireNonNull(params, "params is null");
        this.running = new RunningPipeline(requireNonNull(pipeline, "pipeline is null"), params, this::upstreamExit, this::downstreamExit);
    }

    public String callId() {
        return params.callId();
    }

    public PipelineParams params() {
        return params;
    }

    /** Sends the start frame. Returns once it is handled, or queued if the lane is busy. */
    public void start() {
        if (!startSent.compareAndSet(false, true)) {
            throw new IllegalStateException("pipeline " + params.callId() + " already started");
        }
        params.events().callStarted(params.callId(), System.nanoTime());
        running.submitAtHead(new StartFrame(params.inputFormat(), params.outputFormat(), params.allowInterruptions(), params.metricsEnabled()));
    }

    /** Waits until every processor has seen the start frame. */
    public void awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** From any thread: sends a frame into the first processor. */
    public void queueFrame(Frame frame) {
        running.submitAtHead(requireNonNull(frame, "frame is null"));
    }

    /** Ends the call once everything queued has been handled (or cancels it after the end timeout). */
    public void end(String reason) {
        if (termination.isDone()) {
            return;
        }
        queueFrame(new EndFrame(reason));
        armStopGuard(params.endTimeout(), "end did not finish within " + params.endTimeout().toMillis() + " ms (" + reason + ")");
    }

    /** Stops the call now. Idempotent. */
    public void cancel(String reason) {
        if (termination.isDone()) {
            return;
        }
        queueFrame(new CancelFrame(reason));
        armStopGuard(Duration.ofSeconds(5), "cancel did not finish within 5 s (" + reason + ")");
    }

    /** Completes when the pipeline is over. */
    public CompletableFuture<CallOutcome> termination() {
        return termination;
    }

    public CallOutcome awaitTermination() throws InterruptedException {
        try {
            return termination.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public boolean isFinished() {
        return termination.isDone();
    }

    /** From any thread: runs {@code task} on the pipeline's lane. */
    public void post(Runnable task) {
        running.post(task);
    }

    private void armStopGuard(Duration after, String why) {
        ScheduledFuture<?> previous = stopGuard;
        if (previous != null && previous.getDelay(TimeUnit.NANOSECONDS) <= after.toNanos()) {
            return;
        }
        stopGuard = params.resources().scheduler().schedule(() -> running.post(() -> {
            if (!termination.isDone()) {
                log.warn("[{}] {}: forcing the call to stop", params.callId(), why);
                finish(why, true);
            }
        }), after.toNanos(), TimeUnit.NANOSECONDS);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void upstreamExit(Frame frame) {
        if (frame instanceof ErrorFrame error) {
            params.events().error(error);
            if (error.fatal()) {
                log.error("[{}] fatal error from {}: {}", params.callId(), error.source(), error.message());
                if (fatalError == null) {
                    fatalError = error;
                }
                cancel("fatal error from " + error.source() + ": " + error.message());
            } else {
                log.warn("[{}] error from {}: {}", params.callId(), error.source(), error.message());
            }
        }
    }

    private void downstreamExit(Frame frame) {
        switch (frame) {
            case StartFrame s -> started.complete(null);
            case EndFrame e -> finish(e.reason(), false);
            case CancelFrame c -> finish(c.reason(), true);
            default -> { }
        }
    }

    /** On the lane. */
    private void finish(String reason, boolean cancelled) {
        if (termination.isDone() || running.isClosed()) {
            return;
        }
        running.finish();
        ScheduledFuture<?> guard = stopGuard;
        if (guard != null) {
            guard.cancel(false);
        }
        params.events().callEnded(reason, cancelled, System.nanoTime());
        started.complete(null);
        termination.complete(new CallOutcome(reason, cancelled, fatalError));
    }
}
