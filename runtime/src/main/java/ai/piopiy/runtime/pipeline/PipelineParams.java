package ai.piopiy.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import ai.piopiy.CallContext;
import ai.piopiy.runtime.events.CallEventListener;
import ai.piopiy.spi.audio.AudioFormat;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link PipelineTask} runs its pipeline.
 *
 * @param callId a short id for log lines
 * @param inputFormat the caller's audio format
 * @param outputFormat the bot's audio format
 * @param allowInterruptions whether the caller may talk over the bot (carried in the start frame)
 * @param metricsEnabled whether processors measure (carried in the start frame)
 * @param callContext the call's context, bound on the lane while it runs (null outside a call)
 * @param events the call's event listener
 * @param observers frame-hop observers (empty for no per-hop cost)
 * @param endTimeout how long an end may take to drain before the call is cancelled
 * @param resources the shared scheduler
 */
public record PipelineParams(String callId, AudioFormat inputFormat, AudioFormat outputFormat,
                             boolean allowInterruptions, boolean metricsEnabled, CallContext callContext,
                             CallEventListener events, List<PipelineObserver> observers, Duration endTimeout,
                             EngineResources resources) {

    public PipelineParams {
        requireNonNull(callId, "callId is null");
        requireNonNull(inputFormat, "inputFormat is null");
        requireNonNull(outputFormat, "outputFormat is null");
        requireNonNull(events, "events is null");
        observers = List.copyOf(observers);
        requireNonNull(endTimeout, "endTimeout is null");
        requireNonNull(resources, "resources is null");
    }

    public static Builder builder(String callId) {
        return new Builder(callId);
    }

    public static final class Builder {
        private final String callId;
        private AudioFormat inputFormat = AudioFormat.PCM16_16K;
        private AudioFormat outputFormat = AudioFormat.PCM16_16K;
        private boolean allowInterruptions;
        private boolean metricsEnabled = true;
        private CallContext callContext;
        private CallEventListener events = CallEventListener.NONE;
        private List<PipelineObserver> observers = List.of();
        private Duration endTimeout = Duration.ofSeconds(30);
        private EngineResources resources = EngineResources.shared();

        private Builder(String callId) {
            this.callId = requireNonNull(callId, "callId is null");
        }

        public Builder inputFormat(AudioFormat f) { this.inputFormat = f; return this; }
        public Builder outputFormat(AudioFormat f) { this.outputFormat = f; return this; }
        public Builder allowInterruptions(boolean b) { this.allowInterruptions = b; return this; }
        public Builder metricsEnabled(boolean b) { this.metricsEnabled = b; return this; }
        public Builder callContext(CallContext c) { this.callContext = c; return this; }
        public Builder events(CallEventListener e) { this.events = e; return this; }
        public Builder observers(List<PipelineObserver> o) { this.observers = o; return this; }
        public Builder endTimeout(Duration d) { this.endTimeout = d; return this; }
        public Builder resources(EngineResources r) { this.resources = r; return this; }

        public PipelineParams build() {
            return new PipelineParams(callId, inputFormat, outputFormat, allowInterruptions, metricsEnabled,
                    callContext, events, observers, endTimeout, resources);
        }
    }
}
