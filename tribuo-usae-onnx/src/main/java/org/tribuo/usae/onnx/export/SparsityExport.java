package org.tribuo.usae.onnx.export;

import org.tribuo.usae.sae.BatchTopKSparsity;
import org.tribuo.usae.sae.GlobalTopKSparsity;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Sparsity;
import org.tribuo.usae.sae.TopKSparsity;
import org.tribuo.usae.sae.UsaeParameters;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.List;
import java.util.Map;

/**
 * The exported graph's emitters of the sparsity blocks at inference, looked up by the block's class so the exporter
 * never asks for a sparsity by name: each turns every model's pre-activations into its codes' values and latent
 * indices ({@code [batch x slots]}, values descending per row). A block without an emitter cannot be exported.
 */
final class SparsityExport {
    /** Emits one block's codes. */
    @FunctionalInterface
    interface Emitter {
        /**
         * @param ctx     the graph.
         * @param params  the model's parameters (per-model state such as thresholds).
         * @param pre     per model, {@code [batch x m]} pre-activations.
         * @param slots   the codes' width as an int64 {@code [1]} initializer.
         * @param values  per model, written: the codes' values.
         * @param indices per model, written: their latents.
         */
        void emit(ONNXContext ctx, UsaeParameters params, ONNXRef<?>[] pre, ONNXInitializer slots, ONNXRef<?>[] values,
                  ONNXRef<?>[] indices);
    }

    private static final Map<String, Object> TOPK = Map.of("axis", 1, "largest", 1, "sorted", 1);

    private static final Map<Class<? extends Sparsity>, Emitter> EMITTERS = Map.of(
            TopKSparsity.class, SparsityExport::perModel,
            GlobalTopKSparsity.class, SparsityExport::shared,
            BatchTopKSparsity.class, SparsityExport::aboveThreshold);

    private SparsityExport() {
    }

    /**
     * @param block a sparsity block.
     * @return its emitter.
     * @throws IllegalArgumentException in one line when the block has none.
     */
    static Emitter of(Sparsity block) {
        Emitter e = EMITTERS.get(block.getClass());
        if (e == null) {
            throw new IllegalArgumentException("ONNX export has no graph for " + block.label() + " (" + block
                    + "); it exports TopK per model, global TopK and BatchTopK: encode this model with UsaeModel on "
                    + "the JVM instead");
        }
        return e;
    }

    /** Each model's TopK of its own {@code relu(pre)}. */
    private static void perModel(ONNXContext ctx, UsaeParameters params, ONNXRef<?>[] pre, ONNXInitializer slots,
                                 ONNXRef<?>[] values, ONNXRef<?>[] indices) {
        for (int i = 0; i < pre.length; i++) {
            String name = params.model(i).name();
            List<ONNXNode> tk = pre[i].apply(UsaeOnnxOps.RELU).apply(UsaeOnnxOps.TOPK, List.of(slots),
                    List.of(name + ".topk_values", name + ".topk_indices"), TOPK);
            values[i] = tk.get(0);
            indices[i] = tk.get(1);
        }
    }

    /** SPARC's: the TopK of the summed pre-activations, shared; each model's own {@code relu(pre)} there. */
    private static void shared(ONNXContext ctx, UsaeParameters params, ONNXRef<?>[] pre, ONNXInitializer slots,
                               ONNXRef<?>[] values, ONNXRef<?>[] indices) {
        ONNXNode sum = pre.length == 1 ? (ONNXNode) pre[0].apply(ONNXOperators.IDENTITY)
                : ctx.operation(ONNXOperators.SUM, List.of(pre), "pre_sum");
        ONNXNode common = sum.apply(UsaeOnnxOps.TOPK, List.of(slots), List.of("global_topk_values",
                "global_topk_indices"), TOPK).get(1);
        for (int i = 0; i < pre.length; i++) {
            indices[i] = common;
            values[i] = pre[i].apply(UsaeOnnxOps.GATHER_ELEMENTS, common, Map.of("axis", 1)).apply(UsaeOnnxOps.RELU);
        }
    }

    /** BatchTopK at inference: each model's TopK, a slot keeping its value where it reaches the model's threshold. */
    private static void aboveThreshold(ONNXContext ctx, UsaeParameters params, ONNXRef<?>[] pre, ONNXInitializer slots,
                                       ONNXRef<?>[] values, ONNXRef<?>[] indices) {
        perModel(ctx, params, pre, slots, values, indices);
        for (int i = 0; i < pre.length; i++) {
            String name = params.model(i).name();
            ONNXRef<?> below = values[i].apply(UsaeOnnxOps.LESS, ctx.constant(name + ".sparsity.threshold",
                    params.model(i).get(ModelParameters.INFERENCE_THRESHOLD)[0]));
            values[i] = below.apply(UsaeOnnxOps.WHERE, List.of(ctx.constant(name + ".zero", 0f), values[i]),
                    List.of(name + ".kept_values"), Map.of()).get(0);
        }
    }
}
