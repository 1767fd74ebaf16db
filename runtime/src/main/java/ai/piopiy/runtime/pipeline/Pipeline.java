package ai.piopiy.runtime.pipeline;

import java.util.List;

/** An ordered list of processors: the first receives input, the last hands frames out. */
public record Pipeline(List<FrameProcessor> processors) {

    public Pipeline {
        processors = List.copyOf(processors);
        if (processors.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one processor");
        }
        if (processors.stream().distinct().count() != processors.size()) {
            throw new IllegalArgumentException("a processor instance may appear only once in a pipeline");
        }
    }

    public static Pipeline of(FrameProcessor... processors) {
        return new Pipeline(List.of(processors));
    }
}
