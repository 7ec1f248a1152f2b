package org.tribuo.usae.engine;

import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxiliaryLoss;
import org.tribuo.usae.sae.Objective;

import java.util.Arrays;

/**
 * The CPU engine's per-step buffers, counted from the settings with the same thresholds the engine uses to choose
 * its kernels, so the heap estimate ({@code train.MemoryEstimate}) cannot drift from what the engine allocates.
 *
 * <p>With m latents, widths d_i (D = sum d_i, d the largest), B rows per batch, S models encoded per step,
 * s slots per row (k, plus m/2 for half-aux or auxK for dead-latent AuxK), in float32 values:
 * <pre>
 *   S (B m pre-activations + 3 B s slot codes [+ B d affine input] + (B + m)(d + 1) the encoder GEMM's operands
 *      with the bias column) + 2 B D (residuals, their gradients)
 *   [+ B D half-aux gradients] [+ 3 B d dead-latent AuxK target, decode, gradient]
 *   [+ 2 R m + m D + m U + 2 R D, half-aux or more than 1/{@link SlotDecoder#DENSE_RATIO} of m active: R rows (at
 *      most {@link DenseSlotBlocks#BLOCK_FLOATS} values) of dense codes and their gradient, the dictionaries side by
 *      side and the updated ones' gradient (U: the widest set of models one step updates), outputs and gradients]
 *   [+ R m when the encoder's slots are too many to scatter ({@link EncoderScatter}): its dense row blocks]
 *   [+ B d + 2 m d + d² BatchNorm: centred input, G^T.X, W.C, C]
 * </pre>
 */
public final class CpuScratch {
    private CpuScratch() {
    }

    /**
     * @param arch the architecture.
     * @param obj  the objective.
     * @param dims model widths.
     * @param b    rows per step.
     * @return float32 values of the step's buffers.
     */
    public static long floats(Architecture arch, Objective obj, int[] dims, long b) {
        long m = arch.numLatents();
        long sumD = Arrays.stream(dims).asLongStream().sum();
        long maxD = Arrays.stream(dims).max().orElse(0);
        long scratch = 0;
        long encoded = obj.sources().possibleSteps(dims.length).stream().mapToLong(s -> s.length).max().orElse(0);
        AuxiliaryLoss aux = obj.auxBlock();
        long slots = arch.slots() + aux.slots((int) m);
        scratch += encoded * (b * m + 3 * b * slots + (b + m) * (maxD + 1));   // the GEMM's operands, affine column
        scratch += arch.encoderBlock().scratchFloats(b, m, maxD, encoded);
        // residuals and their gradients per target, plus the aux gradients (half-aux, every target) or the
        // AuxK target, reconstruction and gradient (dead-latent AuxK, the source)
        // Matryoshka: per target a prefix residual and a decode buffer, and each smaller prefix's residual
        // gradient; per group a copy of the code values
        int levels = obj.matryoshkaLevels();
        scratch += levels == 1 ? 0 : (levels + 1L) * b * sumD + levels * b * arch.slots();
        scratch += 2 * b * sumD + aux.scratchFloats(b, sumD, maxD);
        // row blocks of at most BLOCK_FLOATS: the half-aux codes and their gradient, and the
        // encoder's G when its slots are too many to scatter
        long blockRows = Math.min(b, Math.max(1, DenseSlotBlocks.BLOCK_FLOATS / m));
        boolean denseCodes = aux.denseCodes() || (long) SlotDecoder.DENSE_RATIO * arch.slots() > m;
        boolean encoderBlocks = !EncoderScatter.scatters(slots, m);
        scratch += ((denseCodes ? 2 : 0) + (encoderBlocks ? 1 : 0)) * blockRows * m;
        // the dense blocks' GEMM operands: the targets' dictionaries side by side and the updated ones'
        // gradient, and a block of rows of every target's output and gradient
        long updatedWidth = obj.sources().possibleSteps(dims.length).stream().mapToLong(s -> {
            long w = 0;
            for (int t = 0; t < dims.length; t++) {
                w += obj.updateRule().updates(t, s) ? dims[t] : 0;
            }
            return w;
        }).max().orElse(0);
        scratch += denseCodes ? m * sumD + m * updatedWidth + 2 * blockRows * sumD : 0;
        return scratch;
    }
}
