package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.AuxiliaryLoss;
import org.tribuo.usae.sae.DeadLatentAuxK;
import org.tribuo.usae.sae.HalfAuxLoss;
import org.tribuo.usae.sae.NoAuxiliaryLoss;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The step graphs' emitters of the auxiliary-loss blocks, looked up by the block's class (as the CPU engine's
 * {@code CpuAuxTerm}), so the graphs never ask which loss they emit. A step calls its emitter at the same three points
 * as the CPU engine: after the sparsity's mask ({@link Emitter#select}), on each target's not-detached residual
 * ({@link Emitter#againstResidual}: half-aux) and on the source's detached self residual ({@link Emitter#againstSelf}:
 * dead-latent AuxK). A block without an emitter cannot run on the ORT engine; {@link #supports} says so first.
 */
final class AuxEmitters {
    /**
     * A source's aux codes.
     * @param codes    {@code [rows x m]} the codes (0 off the chosen latents).
     * @param pass     {@code [rows x m]} 0/1 where their gradient reaches the pre-activations.
     * @param counters {@code [m]} the dead-latent counters after the step, or null when the loss keeps none.
     */
    record Codes(String codes, String pass, String counters) {
    }

    /**
     * An aux term and its gradients.
     * @param value     its weighted value (a scalar).
     * @param gResidual what it adds to dL/dRes of the residual it scores, or null.
     * @param gCodes    dL/d(aux codes) {@code [rows x m]}.
     * @param gDecoder  dL/d(decoder rows) {@code [m x d]}, for the scored target's dictionary.
     * @param gBias     dL/d(decoder bias) {@code [d]}, or null when the term has no bias.
     */
    record Term(String value, String gResidual, String gCodes, String gDecoder, String gBias) {
    }

    /** Emits one auxiliary loss. */
    interface Emitter {
        /**
         * @param ops      the graph pieces.
         * @param pre      {@code [rows x m]} the source's pre-activations.
         * @param mask     {@code [rows x m]} the sparsity's 0/1 mask.
         * @param fired    {@code [m]} the latents the source's codes fired.
         * @param counters {@code [m]} its dead-latent counters before the step (null when not carried).
         * @return the aux codes, or null when the loss has none.
         */
        Codes select(StepOps ops, String pre, String mask, String fired, String counters);

        /**
         * The term on a target's not-detached residual {@code Res = X - xhat}.
         * @param reference  the target's activations X (the criterion's reference).
         * @param criterion  the step's reconstruction criterion.
         * @param elements   the residual's element count (rows x d).
         * @param termWeight the reconstruction term's weight.
         * @return the term, or null when the loss has none here.
         */
        default Term againstResidual(StepOps ops, Codes codes, String res, String reference, String decoder,
                                     CriterionEmitters.Emitter criterion, double elements, double termWeight) {
            return null;
        }

        /**
         * The term on the source's detached self residual.
         * @param bias       the source's decoder bias, or null.
         * @param numSources the step's source count (the weight is shared over them).
         * @return the term, or null when the loss has none here.
         */
        default Term againstSelf(StepOps ops, Codes codes, String selfResidual, String decoder, String bias,
                                 int numSources) {
            return null;
        }
    }

    private static final Map<Class<? extends AuxiliaryLoss>, Function<AuxiliaryLoss, Emitter>> EMITTERS = Map.of(
            NoAuxiliaryLoss.class, block -> (ops, pre, mask, fired, counters) -> null,
            HalfAuxLoss.class, block -> new Half((HalfAuxLoss) block),
            DeadLatentAuxK.class, block -> new Dead((DeadLatentAuxK) block));

    private AuxEmitters() {
    }

    /** @param block an auxiliary loss. @return whether the step graphs can emit it. */
    static boolean supports(AuxiliaryLoss block) {
        return EMITTERS.containsKey(block.getClass());
    }

    /**
     * @param block an auxiliary loss ({@link #supports} it).
     * @return its emitter.
     */
    static Emitter of(AuxiliaryLoss block) {
        Function<AuxiliaryLoss, Emitter> e = EMITTERS.get(block.getClass());
        if (e == null) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for the auxiliary loss "
                    + block.label() + " (" + block + ")");
        }
        return e.apply(block);
    }

    /**
     * {@link HalfAuxLoss}: the top m/2 of {@code relu(Pre)} off the mask; {@code E_t = Res_t - S N(D_t)} scored
     * with the criterion, weighted; its gradient flows into {@code Res_t} ({@code dE/dRes = 1}) and into the codes and
     * the decoder ({@code dE/dauxHat = -1}).
     */
    private record Half(HalfAuxLoss block) implements Emitter {
        @Override
        public Codes select(StepOps ops, String pre, String mask, String fired, String counters) {
            GraphBuilder g = ops.graph();
            String r = g.relu(pre);
            String notSelected = g.sub(g.scalar(1f), mask);
            String auxMask = g.mul(ops.topKMask(g.mul(r, notSelected), ops.numLatents() / 2), notSelected);
            // a chosen latent whose pre-activation is not positive has code 0 and passes no gradient (ReLU)
            return new Codes(g.mul(r, auxMask), g.mul(auxMask, g.greaterAsFloat(pre, g.scalar(0f))), null);
        }

        @Override
        public Term againstResidual(StepOps ops, Codes codes, String res, String reference, String decoder,
                                    CriterionEmitters.Emitter criterion, double elements, double termWeight) {
            GraphBuilder g = ops.graph();
            String e = g.sub(res, g.op("MatMul", "auxhat", List.of(codes.codes(), decoder)));
            String[] term = criterion.term(ops, e, reference, termWeight * block.weight(), elements);
            String value = term[0];
            String gE = term[1];
            String gAuxHat = g.neg(gE);
            return new Term(value, gE, g.gemm(gAuxHat, decoder, false, true), g.gemm(codes.codes(), gAuxHat, true, false),
                    null);
        }
    }

    /**
     * {@link DeadLatentAuxK}: the top auxK of {@code Pre} over the dead latents, then ReLU; NMSE of
     * {@code A D + b - T} against the detached {@code T = Res + b}, weighted over the sources.
     */
    private record Dead(DeadLatentAuxK block) implements Emitter {
        @Override
        public Codes select(StepOps ops, String pre, String mask, String fired, String counters) {
            String[] dead = ops.deadAuxK(pre, fired, counters);
            return new Codes(dead[1], dead[2], dead[0]);
        }

        @Override
        public Term againstSelf(StepOps ops, Codes codes, String selfResidual, String decoder, String bias,
                                int numSources) {
            GraphBuilder g = ops.graph();
            String target = bias == null ? selfResidual : g.add(selfResidual, bias);
            String auxHat = g.op("MatMul", "auxhat", List.of(codes.codes(), decoder));
            String e = g.sub(bias == null ? auxHat : g.add(auxHat, bias), target);
            String[] lossAndGrad = ops.nmse(e, target, block.weight() / numSources);
            String grad = lossAndGrad[1];
            return new Term(lossAndGrad[0], null, g.gemm(grad, decoder, false, true),
                    g.gemm(codes.codes(), grad, true, false), bias == null ? null : ops.columnSums(grad));
        }
    }
}
