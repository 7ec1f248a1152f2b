package org.tribuo.usae.engine;

import org.tribuo.usae.sae.AuxiliaryLoss;
import org.tribuo.usae.sae.DeadLatentAuxK;
import org.tribuo.usae.sae.HalfAuxLoss;
import org.tribuo.usae.sae.NoAuxiliaryLoss;

import java.util.Map;
import java.util.function.Function;

/**
 * The CPU engine's float32 kernel of one {@link AuxiliaryLoss} block, looked up by the block's class ({@link #of}), so
 * {@link CpuTrainingStep} never asks which loss it runs. A step calls it at three points of each source's work: after
 * the sparsity chose the codes ({@link #select}), once every target's residual is known and before its gradient
 * becomes the decoder's output gradient ({@link #withResiduals}: a term scored against the not-detached residuals),
 * and after the reconstruction backward ({@link #afterBackward}: a term against the detached self residual).
 */
interface CpuAuxTerm {
    /** The kernel of the blocks without codes. */
    CpuAuxTerm NONE = (step, src, position, fired) -> null;

    /**
     * @param step     the step (its scratch, shapes and state).
     * @param src      the source model.
     * @param position the source's position among the step's sources (scratch keys).
     * @param fired    {@code [m]} the latents the source's codes fired this step.
     * @return the source's aux codes, or null when the loss has none.
     */
    SlotCodes select(CpuTrainingStep step, int src, int position, boolean[] fired);

    /**
     * @param step     the step.
     * @param codes    the source's aux codes.
     * @param decoders per target, its decoder {@code [m x d]}.
     * @param dDecoder per target, its decoder gradient (null when not updated), added to.
     * @param resid    per target, {@code [rows x d]} x - xhat (null where the term weight is 0); may be overwritten.
     * @param gResid   per target, dL/dR so far, added to.
     * @param weight   per target, the reconstruction term's weight.
     * @return the loss it adds.
     */
    default double withResiduals(CpuTrainingStep step, SlotCodes codes, float[][] decoders, float[][] dDecoder,
                                 float[][] resid, float[][] gResid, double[] weight) {
        return 0;
    }

    /**
     * @param step        the step.
     * @param src         the source model.
     * @param codes       its aux codes.
     * @param selfResid   {@code [rows x d]} its own x - xhat.
     * @param selfDecoder its decoder.
     * @param dDecoder    its decoder gradient, added to (null when not updated).
     * @return the loss it adds.
     */
    default double afterBackward(CpuTrainingStep step, int src, SlotCodes codes, float[] selfResid, float[] selfDecoder,
                                 float[] dDecoder) {
        return 0;
    }

    /** The kernels by block class. */
    Map<Class<? extends AuxiliaryLoss>, Function<AuxiliaryLoss, CpuAuxTerm>> KERNELS = Map.of(
            NoAuxiliaryLoss.class, block -> NONE,
            HalfAuxLoss.class, block -> new CpuHalfAux((HalfAuxLoss) block),
            DeadLatentAuxK.class, block -> new CpuDeadAuxK((DeadLatentAuxK) block));

    /**
     * @param block an auxiliary loss.
     * @return its kernel.
     * @throws IllegalArgumentException when the CPU engine has none for it.
     */
    static CpuAuxTerm of(AuxiliaryLoss block) {
        Function<AuxiliaryLoss, CpuAuxTerm> k = KERNELS.get(block.getClass());
        if (k == null) {
            throw new IllegalArgumentException("the CPU engine has no kernel for the auxiliary loss " + block.label()
                    + " (" + block + ")");
        }
        return k.apply(block);
    }
}
