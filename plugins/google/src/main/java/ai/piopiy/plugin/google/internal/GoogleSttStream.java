package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.plugin.google.GoogleSttConfig;
import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.metrics.Metric;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.stt.SttListener;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import com.google.cloud.speech.v1.RecognitionConfig;
import com.google.cloud.speech.v1.SpeechRecognitionAlternative;
import com.google.cloud.speech.v1.StreamingRecognitionConfig;
import com.google.cloud.speech.v1.StreamingRecognitionResult;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One call's recognition over {@code StreamingRecognize}: the first request carries the config, every
 * later one a chunk of audio.
 *
 * <p>Google ends a stream at about five minutes, so a stream older than the configured limit is
 * replaced by a fresh one: the old one is cancelled (so it reports nothing more) and the audio it had
 * not yet settled with a final result is sent again first, so no speech falls into the gap. The same
 * resend bridges a stream that failed and is retried. Audio settled by a final result
 * ({@code result_end_time}) is dropped; unsettled audio is kept up to the resend limit.
 *
 * <p>Everything, listener calls included, happens under one lock: the listener is never called twice
 * at once, even while an old stream's last callbacks race a new stream's first.
 */
public final class GoogleSttStream implements SttStream {

    private final String name;
    private final GoogleSttConfig config;
    private final ManagedChannel channel;
    private final CallOptions callOptions;
    private final Authorization authorization;
    private final ProviderContext context;
    private final SttStreamSpec spec;
    private final SttListener listener;
    private final StreamingRecognizeRequest configRequest;
    private final long bytesPerSecond;
    private final long resendLimitBytes;

    private final Object lock = new Object();
    /** Audio not yet settled by a final result, oldest first. Guarded by lock, as is all below. */
    private final ArrayDeque<Chunk> unsettled = new ArrayDeque<>();
    private long unsettledBytes;
    private Attempt current;
    private boolean closing;
    private boolean closed;
    private int failures;
    private long retryAtNanos;
    private long stoppedSpeakingAt = -1;
    private boolean warnedResendLimit;

    public GoogleSttStream(String name, GoogleSttConfig config, ManagedChannel channel,
            CallOptions callOptions, Authorization authorization,
            ProviderContext context, SttStreamSpec spec, SttListener listener) {
        this.name = requireNonNull(name, "name is null");
        this.config = requireNonNull(config, "config is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.callOptions = requireNonNull(callOptions, "callOptions is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.context = requireNonNull(context, "context is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.configRequest = StreamingRecognizeRequest.newBuilder().setStreamingConfig(streamingConfig(config, spec)).build();
        this.bytesPerSecond = spec.format().sampleRate() * 2L;
        this.resendLimitBytes = config.resendLimit().toMillis() * bytesPerSecond / 1000;
    }

    static StreamingRecognitionConfig streamingConfig(GoogleSttConfig config, SttStreamSpec spec) {
        RecognitionConfig recognition = RecognitionConfig.newBuilder()
                .setEncoding(RecognitionConfig.AudioEncoding.LINEAR16)
                .setSampleRateHertz(spec.format().sampleRate())
                .setAudioChannelCount(1)
                .setLanguageCode(config.languages().getFirst())
                .addAllAlternativeLanguageCodes(config.languages().subList(1, config.languages().size()))
                .setModel(config.model())
                .setUseEnhanced(config.useEnhanced())
                .setEnableAutomaticPunctuation(config.enableAutomaticPunctuation())
                .setEnableSpokenPunctuation(BoolValue.of(config.enableSpokenPunctuation()))
                .setEnableSpokenEmojis(BoolValue.of(config.enableSpokenEmojis()))
                .setProfanityFilter(config.profanityFilter())
                .build();
        return StreamingRecognitionConfig.newBuilder()
                .setConfig(recognition)
                .setInterimResults(config.interimResults())
                .setSingleUtterance(config.singleUtterance())
                .setEnableVoiceActivityEvents(config.voiceActivityEvents())
                .build();
    }

    @Override
    public void sendAudio(byte[] pcm, int offset, int length) {
        if (length == 0) {
            return;
        }
        // no copy: the SPI lets a stream keep the caller's array, which is never modified
        Chunk chunk = new Chunk(UnsafeByteOperations.unsafeWrap(pcm, offset, length));
        synchronized (lock) {
            if (closing || closed) {
                return;
            }
            if (current != null && !current.draining
                    && context.nanoTime() - current.openedAt >= config.streamLimit().toNanos()) {
                replace("it reached the stream limit of " + config.streamLimit().toSeconds() + " s");
            }
            unsettled.add(chunk);
            unsettledBytes += length;
            trimToResendLimit();
            if (current == null) {
                if (context.nanoTime() - retryAtNanos >= 0) {
                    open();
                }
            } else if (!current.draining) {
                current.send(chunk);
            }
        }
    }

    @Override
    public void userStoppedSpeaking() {
        synchronized (lock) {
            stoppedSpeakingAt = context.nanoTime();
        }
    }

    /** Half-closes the stream, so the server sends its last finals, and cancels it if they take too long. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing || closed) {
                return;
            }
            closing = true;
            if (current == null) {
                closed = true;
                return;
            }
            if (!current.draining) {
                current.draining = true;
                current.requests.onCompleted();
            }
        }
        context.scheduler().schedule(this::cancelAfterClose, config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelAfterClose() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                context.logger().debug("call {}: the server sent no end of stream within {} ms of close; cancelling",
                        spec.callId(), config.closeTimeout().toMillis());
                current.requests.cancel("closed", null);
                current = null;
            }
        }
    }

    /** Opens a stream and sends it the config and then every unsettled chunk. */
    private void open() {
        Attempt attempt = new Attempt(context.nanoTime());
        current = attempt;
        ClientCalls.asyncBidiStreamingCall(channel.newCall(SpeechMethods.STREAMING_RECOGNIZE, callOptions), attempt);
        attempt.requests.onNext(configRequest);
        for (Chunk chunk : unsettled) {
            attempt.send(chunk);
        }
    }

    private void replace(String why) {
        context.logger().debug("call {}: replacing the recognition stream because {}; re-sending {} ms of unsettled audio",
                spec.callId(), why, unsettledBytes * 1000 / bytesPerSecond);
        current.requests.cancel("replaced by a new stream", null);
        current = null;
        failures = 0;
        open();
    }

    private void trimToResendLimit() {
        while (unsettledBytes > resendLimitBytes && unsettled.size() > 1) {
            Chunk dropped = unsettled.removeFirst();
            unsettledBytes -= dropped.audio.size();
            if (!warnedResendLimit) {
                warnedResendLimit = true;
                context.logger().debug("call {}: more than {} ms of audio without a final result; the oldest is not kept for re-sending",
                        spec.callId(), config.resendLimit().toMillis());
            }
        }
    }

    /** Drops the audio that a final result ending at {@code endNanos} (from the stream's start) settled. */
    private void settle(Attempt attempt, long endNanos) {
        long endByte = endNanos / 1_000_000L * bytesPerSecond / 1000;
        while (!unsettled.isEmpty()) {
            Chunk first = unsettled.getFirst();
            if (first.attempt != attempt || first.offset + first.audio.size() > endByte) {
                return;
            }
            unsettled.removeFirst();
            unsettledBytes -= first.audio.size();
        }
    }

    private void onResponse(Attempt attempt, StreamingRecognizeResponse response) {
        if (attempt != current || closed) {
            return;
        }
        attempt.answered = true;
        failures = 0;
        if (response.hasError() && response.getError().getCode() != 0) {
            Status status = Status.fromCodeValue(response.getError().getCode()).withDescription(response.getError().getMessage());
            attempt.requests.cancel("the server reported an error", null);
            onFailure(attempt, status.asRuntimeException());
            return;
        }
        switch (response.getSpeechEventType()) {
            case END_OF_SINGLE_UTTERANCE -> {
                // the server stops listening: half-close, take the last final, then open a new stream
                if (!attempt.draining) {
                    attempt.draining = true;
                    attempt.requests.onCompleted();
                }
            }
            case SPEECH_ACTIVITY_BEGIN -> listener.onSpeechStarted();
            case SPEECH_ACTIVITY_END -> listener.onUtteranceEnd();
            default -> {
                // no event, or one that says nothing new (SPEECH_ACTIVITY_TIMEOUT)
            }
        }
        StringBuilder interim = new StringBuilder();
        String interimLanguage = null;
        boolean settled = false;
        for (StreamingRecognitionResult result : response.getResultsList()) {
            if (result.getAlternativesCount() == 0) {
                continue;
            }
            SpeechRecognitionAlternative best = result.getAlternatives(0);
            String language = result.getLanguageCode().isEmpty() ? config.languages().getFirst() : result.getLanguageCode();
            if (result.getIsFinal()) {
                settle(attempt, result.getResultEndTime().getSeconds() * 1_000_000_000L + result.getResultEndTime().getNanos());
                settled = true;
                String text = best.getTranscript().strip();
                if (!text.isEmpty()) {
                    if (stoppedSpeakingAt >= 0) {
                        context.metrics().record(new Metric.TimeToFirstByte(name, context.nanoTime() - stoppedSpeakingAt));
                        stoppedSpeakingAt = -1;
                    }
                    // 0 is the proto's "not set"
                    double confidence = best.getConfidence() == 0f ? Double.NaN : best.getConfidence();
                    listener.onTranscript(new Transcript(text, true, language, confidence));
                }
            } else {
                // a response's interim results are consecutive pieces (stable first) of one hypothesis
                interim.append(best.getTranscript());
                interimLanguage = language;
            }
        }
        String text = interim.toString().strip();
        if (!text.isEmpty()) {
            listener.onTranscript(new Transcript(text, false, interimLanguage, Double.NaN));
        }
        // right after a final little audio is unsettled: the cheapest moment to replace an ageing stream
        if (settled && !attempt.draining && current == attempt
                && context.nanoTime() - attempt.openedAt >= config.streamLimit().toNanos() * 3 / 4) {
            replace("it is near the stream limit and a result was just settled");
        }
    }

    private void onFailure(Attempt attempt, Throwable error) {
        if (attempt != current) {
            return;
        }
        current = null;
        if (closed || closing || channel.isShutdown()) {
            // closed, or the service is shutting down: nobody waits for this stream's results any more
            closed = true;
            context.logger().debug("call {}: the recognition stream ended with {} after close", spec.callId(), Status.fromThrowable(error).getCode());
            return;
        }
        Status status = Status.fromThrowable(error);
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            authorization.rejected();
        }
        failures = attempt.answered ? 1 : failures + 1;
        ServiceException failure = GrpcChannels.failure(name, "streaming recognition for call " + spec.callId(), error);
        if (failure.fatal()) {
            closed = true;
            listener.onError(failure);
            return;
        }
        if (failures > config.reconnectAttempts()) {
            closed = true;
            listener.onError(new ServiceException(name, "streaming recognition for call " + spec.callId() + " failed "
                    + failures + " times in a row, giving up; the last failure: " + GrpcChannels.describe(status), true, error));
            return;
        }
        long backoff = config.reconnectBackoff().toNanos() << Math.min(failures - 1, 16);
        retryAtNanos = context.nanoTime() + backoff;
        boolean streamEnded = status.getCode() == Status.Code.OUT_OF_RANGE || status.getCode() == Status.Code.ABORTED;
        if (streamEnded && attempt.answered) {
            // Google's own end of a long or idle stream: expected, not worth an error
            context.logger().debug("call {}: the server ended the recognition stream ({}); the next audio opens a new one",
                    spec.callId(), GrpcChannels.describe(status));
            return;
        }
        context.logger().warn("call {}: recognition stream failed ({}); retrying in {} ms (attempt {} of {})", spec.callId(),
                GrpcChannels.describe(status), backoff / 1_000_000, failures, config.reconnectAttempts());
        listener.onError(failure);
    }

    private void onCompleted(Attempt attempt) {
        if (attempt != current) {
            return;
        }
        current = null;
        if (closing) {
            closed = true;
            return;
        }
        // a single utterance ended: go on at once with what was said since
        if (!unsettled.isEmpty() && context.nanoTime() - retryAtNanos >= 0) {
            open();
        }
    }

    /** Audio to send, and where it went: which stream, at which byte of that stream's audio. */
    private static final class Chunk {
        final ByteString audio;
        Attempt attempt;
        long offset;

        Chunk(ByteString audio) {
            this.audio = audio;
        }
    }

    /** One {@code StreamingRecognize} call. Its callbacks take the stream's lock and are ignored once it is replaced. */
    private final class Attempt implements ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse> {
        final long openedAt;
        ClientCallStreamObserver<StreamingRecognizeRequest> requests;
        long sentBytes;
        boolean draining;
        boolean answered;

        Attempt(long openedAt) {
            this.openedAt = openedAt;
        }

        void send(Chunk chunk) {
            chunk.attempt = this;
            chunk.offset = sentBytes;
            sentBytes += chunk.audio.size();
            requests.onNext(StreamingRecognizeRequest.newBuilder().setAudioContent(chunk.audio).build());
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(StreamingRecognizeResponse response) {
            synchronized (lock) {
                onResponse(this, response);
            }
        }

        @Override
        public void onError(Throwable error) {
            synchronized (lock) {
                onFailure(this, error);
            }
        }

        @Override
        public void onCompleted() {
            synchronized (lock) {
                GoogleSttStream.this.onCompleted(this);
            }
        }
    }
}
