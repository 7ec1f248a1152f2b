package org.tribuo.usae.onnx.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.tribuo.usae.onnx.extract.Backbone;
import org.tribuo.usae.onnx.extract.Device;

import java.util.Map;

/**
 * Session options for the running Spark task: ONNX Runtime gets {@code spark.task.cpus} intra-op
 * threads (its default, one per core in every concurrent task, oversubscribes the executor), and the
 * CUDA execution provider on the task's GPU when the task was given one
 * ({@code spark.task.resource.gpu.amount}).
 */
final class TaskSessionOptions {
    private TaskSessionOptions() {
    }

    /** @return options for the current task; CPU with one thread outside a task. */
    static Backbone.Options forCurrentTask() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            return Backbone.Options.builder().intraOpThreads(1).build();
        }
        Map<String, ResourceInformation> resources = ctx.resourcesJMap();
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        return of(ctx.cpus(), gpu == null ? null : gpu.addresses());
    }

    /**
     * @param cpus         CPUs given to the task.
     * @param gpuAddresses the task's GPU addresses, or null.
     * @return the options: CUDA on the first GPU when there is one.
     */
    static Backbone.Options of(int cpus, String[] gpuAddresses) {
        Backbone.Options.Builder b = Backbone.Options.builder().intraOpThreads(Math.max(1, cpus));
        if (gpuAddresses != null && gpuAddresses.length > 0) {
            String id = gpuAddresses[0];
            try {
                b.device(Device.CUDA).deviceId(Integer.parseInt(id.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("task GPU address '" + id + "' is not an integer device id; the GPU discovery"
                        + " script must report CUDA device ordinals such as \"0\"", e);
            }
        }
        return b.build();
    }
}
