package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.L1Criterion;
import org.tribuo.usae.sae.L2Criterion;
import org.tribuo.usae.sae.NmseCriterion;
import org.tribuo.usae.sae.ReconstructionCriterion;

import java.util.Map;

/**
 * The step graphs' emitters of the reconstruction criteria, looked up by the block's class, so a graph never asks
 * which criterion it emits and a criterion without an emitter is refused ({@link #supports}) instead of being emitted
 * as another. Each gives a term's weighted value and its gradient with respect to the residual, as the block's
 * {@code apply} computes them on the CPU engine.
 */
final class CriterionEmitters {
    /** Emits one criterion. */
    interface Emitter {
        /**
         * @param ops       the graph pieces.
         * @param e         {@code [rows x d]} the residual.
         * @param reference {@code [rows x d]} the target the residual is scored against (NMSE's normaliser).
         * @param weight    the term's weight.
         * @param elements  {@code rows x d} (the means divide by it).
         * @return {the weighted value, dL/dE}.
         */
        String[] term(StepOps ops, String e, String reference, double weight, double elements);
    }

    private static final Map<Class<? extends ReconstructionCriterion>, Emitter> EMITTERS = Map.of(
            // weight mean |E|; its gradient weight sign(E) / elements
            L1Criterion.class, (ops, e, reference, weight, elements) -> {
                GraphBuilder g = ops.graph();
                return new String[]{weighted(g, g.reduceMean(g.abs(e), false), weight),
                        g.mul(g.sign(e), g.scalar((float) (weight / elements)))};
            },
            // weight mean E^2; its gradient 2 weight E / elements
            L2Criterion.class, (ops, e, reference, weight, elements) -> {
                GraphBuilder g = ops.graph();
                return new String[]{weighted(g, g.reduceMean(g.mul(e, e), false), weight),
                        g.mul(e, g.scalar((float) (2 * weight / elements)))};
            },
            // weight mean_rows |E_n|^2 / |Y_n|^2
            NmseCriterion.class, (ops, e, reference, weight, elements) -> ops.nmse(e, reference, weight));

    private CriterionEmitters() {
    }

    /** A weight of 1 multiplies nothing, so the plain sum of the official loss stays the same graph. */
    private static String weighted(GraphBuilder g, String value, double weight) {
        return weight == 1.0 ? value : g.mul(value, g.scalar((float) weight));
    }

    /** @param criterion a reconstruction criterion. @return whether the step graphs emit it. */
    static boolean supports(ReconstructionCriterion criterion) {
        return EMITTERS.containsKey(criterion.getClass());
    }

    /** @return the criteria with an emitter, for messages. */
    static String supported() {
        return EMITTERS.keySet().stream().map(Class::getSimpleName).sorted().toList().toString();
    }

    /**
     * @param criterion a criterion ({@link #supports} it).
     * @return its emitter.
     */
    static Emitter of(ReconstructionCriterion criterion) {
        Emitter e = EMITTERS.get(criterion.getClass());
        if (e == null) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for the reconstruction criterion "
                    + criterion);
        }
        return e;
    }
}
