package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxiliaryLoss;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SourceSelection;

import java.util.Arrays;
import java.util.List;

/**
 * The floating-point operations one training step must do (a multiply-add counts 2), per the
 * options of a recipe: what a sparse-aware engine cannot avoid, not what any engine happens to do.
 * Notation: N rows, m latents, k active, d_s a source's width, D the sum of the widths of the targets
 * the source is decoded into (every model unless the cross weight is 0).
 *
 * <p>Dense terms (products over all m latents):
 * <ul>
 *   <li>the encoder forward {@code 2·N·d_s·m} of every encoded source (TopK needs every
 *       pre-activation): the encoder-only roofline U;</li>
 *   <li>half-aux ({@link AuxLossKind#HALF}, m/2 slots, counted as the dense products the official code
 *       does): aux decode into every target {@code 2·N·m·D}, aux gradient into the codes
 *       {@code 2·N·m·D}, aux gradient of every updated target's dictionary {@code 2·N·m·d_t};</li>
 *   <li>the encoder weight gradient: {@code 2·N·m·d_s} when the code gradient is dense (half-aux);
 *       otherwise, for BatchNorm, its dense part through the {@code d x d} matrix X^T·X:
 *       {@code 2·N·d_s² + 2·d_s²·m} (the sparse part X^T·g is below).</li>
 * </ul>
 * Sparse terms (gathers and scatters over selected slots): main decode and code gradient
 * {@code 2·N·k·D} each, main gradient of every updated target's dictionary {@code 2·N·k·d_t}, dead-latent
 * AuxK (self only) {@code 3 · 2·N·auxK·d_s}, and, when the code gradient is sparse, the encoder weight
 * scatter {@code 2·N·(k + auxK)·d_s} (plus {@code 2·m·d_s} for the affine pre-bias gradient).
 * Element-wise work (BatchNorm, losses, TopK selection, the optimizer) is O(N·m) or O(params) and
 * not counted. With {@link SourceSelection#RANDOM_ONE} the expected step averages the single-source
 * steps (the source is drawn uniformly).
 */
public final class FlopModel {
    private FlopModel() {
    }

    /**
     * @param dense           FLOPs of the dense products.
     * @param sparse          FLOPs of the sparse gathers and scatters.
     * @param encoderRoofline the encoder forward alone (U summed over encoded sources).
     */
    public record StepFlops(double dense, double sparse, double encoderRoofline) {
        /** @return dense + sparse. */
        public double total() {
            return dense + sparse;
        }
    }

    /**
     * FLOPs of a step that encodes the given sources.
     * @param arch    the architecture.
     * @param obj     the objective (aux loss, cross weight, update rule).
     * @param dims    model widths.
     * @param rows    rows per step N.
     * @param sources models encoded this step (distinct, in range).
     * @return the step's FLOPs.
     */
    public static StepFlops step(Architecture arch, Objective obj, int[] dims, int rows, int[] sources) {
        if (dims.length < 1 || rows < 1 || sources.length < 1) {
            throw new IllegalArgumentException("need widths, rows >= 1 and sources; got dims " + Arrays.toString(dims)
                    + ", rows " + rows + ", sources " + Arrays.toString(sources));
        }
        double n = rows;
        double m = arch.numLatents();
        double k = arch.k();
        AuxiliaryLoss aux = obj.auxBlock();
        double auxSlots = aux.slots(arch.numLatents());
        boolean[] updated = new boolean[dims.length];
        for (int s : sources) {
            if (s < 0 || s >= dims.length) {
                throw new IllegalArgumentException("source " + s + " is not a model index in [0, " + dims.length + ")");
            }
        }
        for (int t = 0; t < dims.length; t++) {
            updated[t] = obj.updateRule().updates(t, sources);
        }
        double dense = 0;
        double sparse = 0;
        double roofline = 0;
        for (int s : sources) {
            double ds = dims[s];
            double targets = 0;
            double updatedTargets = 0;
            for (int t = 0; t < dims.length; t++) {
                if (obj.termWeight(s, t, sources.length, dims.length) != 0) {
                    targets += dims[t];
                    updatedTargets += updated[t] ? dims[t] : 0;
                }
            }
            double encoder = 2 * n * ds * m;
            roofline += encoder;
            dense += encoder;
            sparse += 2 * (2 * n * k * targets) + 2 * n * k * updatedTargets;
            if (obj.matryoshkaLevels() > 1) {
                // the smaller prefixes' residuals add back the latents beyond them: at most one more decode of k
                sparse += 2 * n * k * targets;
            }
            AuxiliaryLoss.Flops auxFlops = aux.flops(n, m, ds, targets, updatedTargets);
            dense += auxFlops.dense();
            sparse += auxFlops.sparse();
            if (auxFlops.denseCodeGradient()) {
                continue;                                    // the encoder weight gradient was one dense product
            }
            sparse += 2 * n * (k + auxSlots) * ds;           // encoder weight scatter X^T·g
            double[] encoderFlops = arch.encoderBlock().backwardFlops(n, ds, m);
            dense += encoderFlops[0];
            sparse += encoderFlops[1];
        }
        return new StepFlops(dense, sparse, roofline);
    }

    /**
     * The expected FLOPs per step: every model encoded for {@link SourceSelection#ALL}, the mean over
     * single-source steps for {@link SourceSelection#RANDOM_ONE}.
     * @param arch the architecture.
     * @param obj  the objective.
     * @param dims model widths.
     * @param rows rows per step.
     * @return the expected step's FLOPs.
     */
    public static StepFlops expected(Architecture arch, Objective obj, int[] dims, int rows) {
        List<int[]> steps = obj.sources().possibleSteps(dims.length);
        double dense = 0;
        double sparse = 0;
        double roofline = 0;
        for (int[] sources : steps) {
            StepFlops f = step(arch, obj, dims, rows, sources);
            dense += f.dense();
            sparse += f.sparse();
            roofline += f.encoderRoofline();
        }
        return new StepFlops(dense / steps.size(), sparse / steps.size(), roofline / steps.size());
    }
}
