package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.DictionaryNormalization;
import org.tribuo.usae.sae.ProjectedUnitDictionary;
import org.tribuo.usae.sae.RowNormalizedDictionary;

import java.util.List;
import java.util.Map;

/**
 * The step graph's emitters of the dictionary blocks ({@link DictionaryNormalization}), looked up by the block's
 * class: the decoder the forward pass uses, the chain rule back to the stored rows, and the block's adjustment just
 * before AdamW, at the same three points as the block's float32 kernels. A block without an emitter cannot run on
 * the ORT engine.
 */
final class DictionaryEmitters {
    private static final float NORM_EPS = 1e-8f;

    /** Emits one dictionary block. */
    interface Emitter {
        /** @return {@code [m x d]} the decoder of the forward pass, from the stored dictionary {@code W}. */
        String decoder(StepOps ops, String w);

        /** @return {@code [m x d]} dL/dW from dL/d(decoder). */
        String gradient(StepOps ops, String w, String gDecoder);

        /**
         * @return {the dictionary AdamW steps from, its gradient}, adjusted as the block does before the optimiser
         *     (as they are for most blocks).
         */
        default String[] beforeUpdate(StepOps ops, String w, String gradient) {
            return new String[]{w, gradient};
        }
    }

    private static final Map<Class<? extends DictionaryNormalization>, Emitter> EMITTERS = Map.of(
            RowNormalizedDictionary.class, new RowNormalized(),
            ProjectedUnitDictionary.class, new ProjectedUnit());

    private DictionaryEmitters() {
    }

    /** @param block a dictionary block. @return whether the step graph can emit it. */
    static boolean supports(DictionaryNormalization block) {
        return EMITTERS.containsKey(block.getClass());
    }

    /**
     * @param block a dictionary block ({@link #supports} it).
     * @return its emitter.
     */
    static Emitter of(DictionaryNormalization block) {
        Emitter e = EMITTERS.get(block.getClass());
        if (e == null) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for the dictionary " + block);
        }
        return e;
    }

    /**
     * The official dictionary: {@code N(W) = W / (||W_row|| + 1e-8)} on every forward; its gradient
     * {@code G/(n+eps) - W (G.W) / (n (n+eps)^2)}, 0 for zero rows.
     */
    private static final class RowNormalized implements Emitter {
        @Override
        public String decoder(StepOps ops, String w) {
            GraphBuilder g = ops.graph();
            return g.div(w, g.add(ops.rowNorm(w), g.scalar(NORM_EPS)));
        }

        @Override
        public String gradient(StepOps ops, String w, String gDecoder) {
            GraphBuilder g = ops.graph();
            String norm = ops.rowNorm(w);
            String den = g.add(norm, g.scalar(NORM_EPS));
            String dot = g.reduceSum(g.mul(gDecoder, w), true, 1);
            String coef = g.div(dot, g.mul(g.mul(norm, den), den));
            String safe = g.op("Where", "where", List.of(g.op("Greater", "gt", List.of(norm, g.scalar(0f))), coef,
                    g.scalar(0f)));
            return g.sub(g.div(gDecoder, den), g.mul(w, safe));
        }
    }

    /**
     * SPARC's dictionary: used as stored; before AdamW the rows go back to unit norm and each row's gradient loses
     * its component along the row.
     */
    private static final class ProjectedUnit implements Emitter {
        @Override
        public String decoder(StepOps ops, String w) {
            return w;
        }

        @Override
        public String gradient(StepOps ops, String w, String gDecoder) {
            return gDecoder;
        }

        @Override
        public String[] beforeUpdate(StepOps ops, String w, String gradient) {
            GraphBuilder g = ops.graph();
            String unit = g.mul(w, g.div(g.scalar(1f), g.add(ops.rowNorm(w), g.scalar(NORM_EPS))));
            return new String[]{unit, g.sub(gradient, g.mul(g.reduceSum(g.mul(unit, gradient), true, 1), unit))};
        }
    }
}
