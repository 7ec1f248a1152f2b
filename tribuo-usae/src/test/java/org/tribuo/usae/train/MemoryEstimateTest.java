package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.engine.EngineKind;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap estimate made before training: close to a hand count, and a run that cannot fit is refused. */
class MemoryEstimateTest {
    @Test
    void smallAlignedRunMatchesAHandCountWithin25Percent() {
        int[] dims = {48, 32, 64};
        long trainRows = 10_000;
        UsaeTrainer t = ConfiguredTrainers.of(Map.of("recipe", "ALIGNED", "numLatents", "512", "k", "8", "batchSize", "256",
                "steps", "100", "standardizationRows", "1000"));
        MemoryEstimate e = MemoryEstimate.of(t.settingsFor(dims, trainRows), dims, trainRows, EngineKind.CPU);
        // Hand count, float32 (4 bytes), m = 512, D = 48 + 32 + 64 = 144, B = 256, 3 models encoded per step:
        //   encoder weight + dictionary: 2 x 512 x 144 = 147,456 values       (biases: 2,000 more, ignored)
        //   AdamW moments 2x, gradients 1x, normalised decoders + their gradient 2 x 512 x 144
        //     -> 147,456 x (1 + 2 + 1) + 147,456 = 737,280 values
        //   per step: pre-activations per model 3 x 256 x 512                            = 393,216
        //     slot codes (k 8 + auxK 64, index, value, gradient) 3 x 3 x 256 x 72          = 165,888
        //     affine inputs (x - preBias) 256 x 144                                        =  36,864
        //     residuals and their gradients, batch and its copy 4 x 256 x 144               = 147,456
        //     AuxK target, decode and gradient of a source, at most 3 x 256 x 64           =  49,152
        //     encoder GEMM operands with the bias column 3 x (256 + 512) x (64 + 1), at most = 149,760
        //   total about 1,679,872 values = 6.7 MB
        double hand = 4.0 * (737_280 + 393_216 + 165_888 + 36_864 + 147_456 + 49_152 + 149_760);
        assertEquals(4L * (2 * 512 * 144 + 3 * 512 + 144), e.parameterBytes(), "parameters are counted exactly");
        assertEquals(2 * e.parameterBytes(), e.optimizerBytes());
        double ratio = e.bytes() / hand;
        assertTrue(ratio > 0.8 && ratio < 1.25, "estimate " + e.bytes() + " vs hand " + hand + " (ratio " + ratio + ")");
        assertTrue(e.fits(Runtime.getRuntime().maxMemory()));

        MemoryEstimate ref = MemoryEstimate.of(t.settingsFor(dims, trainRows), dims, trainRows, EngineKind.REFERENCE);
        assertTrue(ref.bytes() > 1.5 * e.bytes(), "the double-precision engine needs more");
    }

    @Test
    void theEnginesStepIsWhatItsOwnModelSaysPlusTheBatch() {
        int[] dims = {48, 32, 64};
        UsaeTrainer t = ConfiguredTrainers.of(Map.of("recipe", "ALIGNED", "numLatents", "512", "k", "8", "batchSize", "256",
                "steps", "100", "standardizationRows", "1000"));
        TrainingSettings s = t.settingsFor(dims, 10_000);
        long[] seen = new long[2];
        org.tribuo.usae.engine.StepMemory model = (arch, obj, d, rows, chunk) -> {
            seen[0] = rows;
            seen[1] = chunk;
            return 12_345;
        };
        MemoryEstimate e = MemoryEstimate.of(s, dims, 10_000, model, 7);
        assertEquals(12_345 + 4L * 2 * 256 * 144, e.stepBytes(), "the engine's bytes plus the batch and its copy");
        assertEquals(256, seen[0]);
        assertEquals(7, seen[1]);
        assertEquals(MemoryEstimate.of(s, dims, 10_000, EngineKind.CPU).bytes(),
                MemoryEstimate.of(s, dims, 10_000, org.tribuo.usae.engine.StepMemory.CPU, 1).bytes());
    }

    @Test
    void paperShapeFaithfulRunNeedsNoRowsByLatentsMatrixButThePreActivations() {
        int[] dims = {768, 384, 768};
        UsaeTrainer t = ConfiguredTrainers.of(Map.of("recipe", "FAITHFUL", "steps", "100", "standardizationRows", "1000"));
        MemoryEstimate e = MemoryEstimate.of(t.settingsFor(dims, 1_000_000), dims, 1_000_000, EngineKind.CPU);
        // m = 8 x 768 = 6144, k = 32, B = 6272, D = 1920, one source per step, half-aux (3072 slots), BatchNorm:
        //   parameters P = 2 x 6144 x 1920 + 3 x (6144 + 4 x 6144)                   =  23,685,120
        //   gradients P, decoders and their gradient 2 x 6144 x 1920                    =  47,278,080
        //   pre-activations 6272 x 6144                                                 =  38,535,168
        //   slot codes 3 x 6272 x (32 + 3072)                                           =  58,404,864
        //   residuals, their gradients, aux gradients 3 x 6272 x 1920                    =  36,126,720
        //   row blocks of 1365 rows (8M / 6144): 3 x 1365 x 6144 (half-aux codes and gradient, BatchNorm's G)
        //                                                                               =  25,159,680
        //   dictionaries side by side 6144 x 1920, the source's gradient 6144 x 768, and a block of outputs
        //   and gradients 2 x 1365 x 1920                                               =  21,756,672
        //   BatchNorm 6272 x 768 + 2 x 6144 x 768 + 768 x 768                           =  14,843,904
        //   encoder GEMM operands with the bias column (6272 + 6144) x 769                =   9,547,904
        //   batch and its copy 2 x 6272 x 1920                                          =  24,084,480
        //   -> 4 bytes x (299,422,592 + 2 P AdamW 47,370,240) = 1,387,171,328 bytes, 1.29 GiB
        long hand = 4L * (23_685_120L + 47_278_080 + 38_535_168 + 58_404_864 + 36_126_720 + 25_159_680 + 21_756_672
                + 14_843_904 + 9_547_904 + 24_084_480 + 2 * 23_685_120L);
        assertEquals(1_387_171_328L, hand);
        assertEquals(4L * 23_685_120, e.parameterBytes(), "parameters are counted exactly");
        // the rest: dead-latent counters 8 x 3 x 6144 bytes, the shuffle window 4 bytes a row and the
        // standardisation sample 8 bytes a row
        long other = 8L * 3 * 6144 + 4 * Math.min(1_000_000, 2L * org.tribuo.usae.data.BatchStream.DEFAULT_MIX_ROWS)
                + 8 * 1000;
        assertEquals(hand + other, e.bytes());
        assertEquals(2, e.recommendedHeapGiB());
    }

    @Test
    void aRunLargerThanTheHeapIsRefusedBeforeAllocating() {
        long max = Runtime.getRuntime().maxMemory();
        int d = 64;
        // parameters alone (2 m d floats, x4 with AdamW) exceed the heap
        long m = Math.min(Integer.MAX_VALUE / d - 1, max / (4L * 2 * d) + 1);
        UsaeTrainer t = ConfiguredTrainers.of(Map.of("recipe", "ALIGNED", "numLatents", Long.toString(m), "k", "8",
                "batchSize", "16", "steps", "5"));
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("a"), new int[]{d}, new float[][]{new float[100 * d]});
        long before = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(set));
        String msg = e.getMessage();
        assertTrue(msg.contains("Java heap") && msg.contains("m=" + m) && msg.contains("-Xmx")
                && msg.contains("USAE_JAVA_OPTS=-Xmx"), msg);
        assertTrue((System.nanoTime() - before) < 5_000_000_000L, "refused at once, not after allocating");
        MemoryEstimate est = MemoryEstimate.of(t.settingsFor(new int[]{d}, 100), new int[]{d}, 100, EngineKind.CPU);
        assertTrue(!est.fits(max) && est.recommendedHeapGiB() * (1L << 30) * MemoryEstimate.USABLE_FRACTION >= est.bytes());
        assertTrue(msg.contains("-Xmx" + est.recommendedHeapGiB() + "g"), msg);
    }
}
