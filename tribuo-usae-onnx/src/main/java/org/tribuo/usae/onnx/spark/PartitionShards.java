package org.tribuo.usae.onnx.spark;

import org.tribuo.usae.data.NpyStreamWriter;

import java.io.Serializable;
import java.util.List;

/**
 * What one successful task attempt wrote: one shard per model plus a row-index shard, all for the
 * inputs {@code [firstInput, firstInput + numInputs)}. Sent to the driver, which lists it in the
 * manifest (the commit).
 *
 * @param partition      the partition.
 * @param taskAttemptId  Spark's id of the attempt (part of every file name, so attempts never collide).
 * @param firstInput     first input id.
 * @param numInputs      inputs.
 * @param tokensPerInput tokens per input after the token policies.
 * @param names          model names, in set order.
 * @param dims           model widths, {@code [models]}.
 * @param modelFiles     per model, its shard: path relative to the output folder, rows, bytes, hash.
 * @param rowIndexFile   the int64 {@code [rows x 2]} row-index shard (input id, token position).
 */
public record PartitionShards(int partition, long taskAttemptId, long firstInput, long numInputs, int tokensPerInput,
                              List<String> names, int[] dims, List<ShardFile> modelFiles, ShardFile rowIndexFile)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A written shard file.
     * @param path   path relative to the output folder.
     * @param rows   rows.
     * @param bytes  size, header included.
     * @param sha256 hex hash of the data section.
     */
    public record ShardFile(String path, long rows, long bytes, String sha256) implements Serializable {
        private static final long serialVersionUID = 1L;

        static ShardFile of(String path, NpyStreamWriter.Written w) {
            return new ShardFile(path, w.rows(), w.bytes(), w.sha256());
        }
    }

    /** @return rows of every shard of this partition. */
    public long rows() {
        return numInputs * tokensPerInput;
    }

    /**
     * @param partition partition number.
     * @param model     model name (or "row_index").
     * @param attempt   Spark task attempt id.
     * @return the shard's path relative to the output folder: {@code <model>/part-NNNNN-a<attempt>.npy}.
     */
    public static String shardPath(int partition, String model, long attempt) {
        return model + "/part-" + String.format("%05d", partition) + "-a" + attempt + ".npy";
    }
}
