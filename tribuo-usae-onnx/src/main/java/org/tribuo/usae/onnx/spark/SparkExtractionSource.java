package org.tribuo.usae.onnx.spark;

import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.ExtractionJob;

import java.io.Serializable;
import java.util.List;

/**
 * What a distributed extraction runs, shipped to every task: the inputs (input id = position,
 * read by range so each task loads only its own) and how to build the models on an executor.
 * Implementations must be cheap to serialize (paths or config text, not images or weights) and
 * deterministic: the same range gives the same inputs on any executor and any attempt.
 *
 * @param <T> the input type.
 */
public interface SparkExtractionSource<T> extends Serializable {
    /** @return how many inputs there are (called on the driver). */
    long numInputs();

    /**
     * @param from first input id, inclusive.
     * @param to   last input id, exclusive.
     * @return inputs {@code [from, to)} in id order (called in a task).
     */
    List<T> inputs(long from, long to);

    /**
     * Builds the job's models on the executor. Open backbones through {@link BackboneCache} so each
     * executor JVM creates one session per model, not one per task.
     *
     * @param options session options for this task (threads = {@code spark.task.cpus}, CUDA device
     *                when the task was given a GPU).
     * @return the models, in set order.
     */
    List<ExtractionJob.Member<T>> members(Backbone.Options options);

    /** @return inputs per backbone run. */
    int batchSize();

    /** @return per-input label ids ({@link #numInputs()} long), or null (called on the driver). */
    default long[] labels() {
        return null;
    }

    /** @return the names of the label ids (line i of {@code label_names.txt} names id i), or null. */
    default java.util.List<String> labelNames() {
        return null;
    }

    /** @return a one-line description for messages. */
    String describe();
}
