package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.BatchTopKSparsity;
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
         * @param ops  the graph pieces.
         * @param pre  per source model, {@code [rows x m]} pre-activations.
         * @param arch the model shape (k, slots).
         * @return per source model, the {@code [rows x m]} 0/1 mask.
         */
        String[] masks(StepOps ops, String[] pre, Architecture arch);
    }

    private static final Map<Class<? extends Sparsity>, Emitter> EMITTERS = Map.of(
            // each model ranks its own relu(pre): zeros tie and go to the lower index, as ONNX TopK breaks ties
            TopKSparsity.class, (ops, pre, arch) -> {
                String[] masks = new String[pre.length];
                for (int s = 0; s < pre.length; s++) {
                    masks[s] = ops.topKMask(ops.relu(pre[s]), arch.k());
                }
                return masks;
            },
            // each model's rows offer their TopK of `slots` as candidates; the batch keeps its rows x k largest.
            // Equal values at the cut go to the lower row-major index, as the block keeps them; zeros that land in
            // or out of the mask change nothing (their code is 0 and no gradient passes where Pre <= 0)
            BatchTopKSparsity.class, (ops, pre, arch) -> {
                String[] masks = new String[pre.length];
                for (int s = 0; s < pre.length; s++) {
                    String r = ops.relu(pre[s]);
                    String candidates = ops.graph().mul(r, ops.topKMask(r, arch.slots()));
                    masks[s] = ops.batchTopKMask(candidates, (long) ops.rows() * arch.k());
                }
                return masks;
            },
            // the TopK of the summed pre-activations, one mask for every model
            GlobalTopKSparsity.class, (ops, pre, arch) -> {
                String shared = ops.topKMask(ops.sum(List.of(pre)), arch.k());
                String[] masks = new String[pre.length];
                java.util.Arrays.fill(masks, shared);
                return masks;
            });

    private SparsityMasks() {
    }

    /** @return the blocks with an emitter, for messages. */
    static String supported() {
        return EMITTERS.keySet().stream().map(Class::getSimpleName).sorted().toList().toString();
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
