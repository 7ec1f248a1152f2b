package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.GlobalTopKSparsity;
import org.tribuo.usae.sae.Sparsity;
import org.tribuo.usae.sae.TopKSparsity;

import java.util.List;
import java.util.Map;

/**
 * The training graph's emitters of the sparsity blocks: each turns every model's pre-activations into a 0/1 mask
 * of its chosen latents ({@code Z_s = relu(Pre_s) mask_s}, and the gradient passes where the mask and
 * {@code Pre_s > 0} are both 1). A block without an emitter here cannot run on the ORT engine; {@link #supports}
 * says so before a graph is built. The emitters are looked up by the block's class, so the graph never asks for a
 * sparsity by name.
 */
final class SparsityMasks {
    /** Emits the masks. */
    @FunctionalInterface
    interface Emitter {
        /**
         * @param ops the graph pieces.
         * @param pre per model, {@code [rows x m]} pre-activations.
         * @param k   active latents per row.
         * @return per model, the {@code [rows x m]} 0/1 mask.
         */
        String[] masks(StepOps ops, String[] pre, int k);
    }

    private static final Map<Class<? extends Sparsity>, Emitter> EMITTERS = Map.of(
            // each model ranks its own relu(pre): zeros tie and go to the lower index, as ONNX TopK breaks ties
            TopKSparsity.class, (ops, pre, k) -> {
                String[] masks = new String[pre.length];
                for (int s = 0; s < pre.length; s++) {
                    masks[s] = ops.topKMask(ops.relu(pre[s]), k);
                }
                return masks;
            },
            // the TopK of the summed pre-activations, one mask for every model
            GlobalTopKSparsity.class, (ops, pre, k) -> {
                String shared = ops.topKMask(ops.sum(List.of(pre)), k);
                String[] masks = new String[pre.length];
                java.util.Arrays.fill(masks, shared);
                return masks;
            });

    private SparsityMasks() {
    }

    /** @param block a sparsity block. @return whether the training graph can emit it. */
    static boolean supports(Sparsity block) {
        return EMITTERS.containsKey(block.getClass());
    }

    /**
     * @param block a sparsity block ({@link #supports} it).
     * @return its emitter.
     */
    static Emitter of(Sparsity block) {
        Emitter e = EMITTERS.get(block.getClass());
        if (e == null) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for " + block.label() + " ("
                    + block + ")");
        }
        return e;
    }
}
