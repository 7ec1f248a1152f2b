package org.tribuo.usae.engine;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.AuxiliaryLoss;
import org.tribuo.usae.sae.DeadLatentAuxK;
import org.tribuo.usae.sae.HalfAuxLoss;
import org.tribuo.usae.sae.NoAuxiliaryLoss;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.UpdateRule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The auxiliary-loss blocks: every name has a block and both engines have its kernel (so a step never meets a block
 * it cannot run), the blocks take the objective's settings, and the dead-latent rule on hand-made counters. What the
 * kernels compute is checked by the engine-parity, finite-difference and golden tests through
 * {@link EngineConfigurations}.
 */
class AuxTermKernelsTest {
    private static Objective objective(AuxLossKind aux, int auxK) {
        return new Objective(ReconstructionLoss.NMSE, aux, 0.25, auxK, 1.0, SourceSelection.ALL, UpdateRule.ALL_MODELS,
                3, 1e-3);
    }

    @Test
    void everyNameHasABlockAndBothEnginesHaveItsKernel() {
        for (AuxLossKind kind : AuxLossKind.values()) {
            AuxiliaryLoss block = objective(kind, 8).auxBlock();
            assertNotNull(CpuAuxTerm.of(block), kind.name());
            assertNotNull(RefAuxTerm.of(block), kind.name());
        }
        assertInstanceOf(HalfAuxLoss.class, objective(AuxLossKind.HALF, 0).auxBlock());
        assertEquals(0.25, ((HalfAuxLoss) objective(AuxLossKind.HALF, 0).auxBlock()).weight());
        DeadLatentAuxK dead = (DeadLatentAuxK) objective(AuxLossKind.DEAD_AUXK, 8).auxBlock();
        assertEquals(8, dead.auxK());
        assertEquals(0.25, dead.weight());
        assertEquals(3, dead.deadSteps());
        assertEquals(NoAuxiliaryLoss.INSTANCE, objective(AuxLossKind.NONE, 0).auxBlock());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> objective(AuxLossKind.DEAD_AUXK, 0).auxBlock());
        assertTrue(e.getMessage().startsWith("auxK must be > 0"), e.getMessage());
    }

    @Test
    void slotsAndCodeDensity() {
        assertEquals(50, new HalfAuxLoss(0.1).slots(101));
        assertTrue(new HalfAuxLoss(0.1).denseCodes());
        assertEquals(8, new DeadLatentAuxK(8, 0.1, 5).slots(100));
        assertEquals(4, new DeadLatentAuxK(8, 0.1, 5).slots(4));
        assertEquals(0, NoAuxiliaryLoss.INSTANCE.slots(100));
    }

    @Test
    void aLatentIsDeadWhenItsCounterCountedUpWithThisStepExceedsDeadSteps() {
        DeadLatentAuxK block = new DeadLatentAuxK(2, 1.0, 3);
        boolean[] fired = {false, false, false, true, false};
        long[] counters = {0, 2, 3, 100, 7};
        // counted up: 1, 3, 4, (fired: 1), 8; dead above 3
        assertArrayEquals(new boolean[]{false, false, true, false, true}, block.dead(fired, counters));
        // no counters yet: every silent latent is at 1
        assertArrayEquals(new boolean[5], block.dead(fired, null));
    }
}
