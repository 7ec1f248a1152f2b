package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.UpdateRule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core side of the engine seam: kinds, the registry's errors, the loop's books and AdamW's shared scalars. */
class FusedStepEnginesTest {

    @Test
    void ortKindsAreFusedAndHaveNoPerStepEngine() {
        assertTrue(EngineKind.ORT_CPU.fused());
        assertTrue(EngineKind.ORT_CUDA.fused());
        assertFalse(EngineKind.CPU.fused());
        assertFalse(EngineKind.REFERENCE.fused());
        IllegalStateException e = assertThrows(IllegalStateException.class, EngineKind.ORT_CPU::create);
        assertTrue(e.getMessage().contains("ORT_CPU"), e.getMessage());
    }

    @Test
    void coreAloneNamesTheMissingModule() {
        // core's test class path has no tribuo-usae-onnx, so no factory provides the ORT kinds
        TrainingSettings settings = new UsaeTrainer("FAITHFUL", 5, 1).settingsFor(new int[]{4, 4}, 100);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FusedStepEngines.create(EngineKind.ORT_CUDA, settings, new int[]{4, 4}, new FusedEngineOptions(8, false)));
        assertTrue(e.getMessage().contains("ORT_CUDA") && e.getMessage().contains("tribuo-usae-onnx"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FusedStepEngines.create(EngineKind.CPU, settings, new int[]{4, 4}, new FusedEngineOptions(8, false)));
        IllegalArgumentException chunk = assertThrows(IllegalArgumentException.class, () -> new FusedEngineOptions(0, false));
        assertTrue(chunk.getMessage().contains("chunkSteps must be >= 1, got 0"), chunk.getMessage());
    }

    @Test
    void theLoopKeepsPerTensorAdamCountsWhenNonSourcesAreUpdated() {
        // one random source, every model updated: a non-source model's dictionary learns from the cross terms, its
        // encoder takes no step; the per-step engine and the loop's books must count exactly that
        TrainingSettings f = new UsaeTrainer("FAITHFUL", 3, 1).settingsFor(new int[]{6, 8}, 256);
        Objective o = f.objective();
        TrainingSettings mixed = new TrainingSettings(f.architecture(), new Objective(o.reconstruction(), o.aux(),
                o.auxWeight(), o.auxK(), o.crossWeight(), SourceSelection.RANDOM_ONE, UpdateRule.ALL_MODELS, o.deadSteps(),
                o.fireThreshold()), f.adam(), f.learningRate(), f.finalLearningRate(), f.warmupStartRate(),
                f.cosineSchedule(), f.schedulePerSource(), f.gradClip(), f.deadReinitEvery(), f.tiedInit(), 64,
                1, f.warmupSteps(), f.standardizationRows(), f.seed());
        int[] dims = {6, 8};
        TrainingState state = new TrainingState(Initializer.initialize(mixed.architecture(), java.util.List.of("a", "b"),
                dims, mixed.tiedInit(), new Rng64(1)), new Rng64(2), new Rng64(3));
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        float[][] x = new float[2][];
        for (int i = 0; i < 2; i++) {
            x[i] = new float[64 * dims[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = (float) r.nextGaussian();
            }
        }
        long[] ids = java.util.stream.LongStream.range(0, 64).toArray();
        java.util.List<StepStats> seen = new java.util.ArrayList<>();
        try (TrainingEngine engine = new PerStepEngine(new org.tribuo.usae.engine.CpuEngine(), mixed)) {
            new TrainingLoop(engine, mixed, java.util.List.of(seen::add))
                    .run(state, java.util.List.of(new org.tribuo.usae.data.Batch(ids, x, dims)).iterator());
        }
        assertEquals(1, seen.size());
        int source = seen.get(0).sources()[0];
        int other = 1 - source;
        assertEquals(1, state.modelUpdates()[source]);
        assertEquals(1, state.modelUpdates()[other], "the non-source model was updated through its dictionary");
        assertEquals(1, state.optimizer(other).get(org.tribuo.usae.sae.ModelParameters.DICTIONARY).steps());
        assertEquals(0, state.optimizer(other).get(org.tribuo.usae.sae.ModelParameters.ENC_WEIGHT).steps(),
                "the non-source encoder took no step");
        assertEquals(1, state.optimizer(source).get(org.tribuo.usae.sae.ModelParameters.ENC_WEIGHT).steps());
        assertEquals(1, state.globalStep());
    }

    @Test
    void adamScalarsAreTheOnesStepUses() {
        AdamWConfig hp = new AdamWConfig(0.9, 0.999, 1e-8, 0.01);
        // t = 1, lr = 0.1: decay = 1 - 0.1 * 0.01 = 0.999; stepSize = 0.1 / (1 - 0.9) = 1;
        // 1 / sqrt(1 - 0.999) = 1 / sqrt(0.001) = 31.6227766...
        AdamW.StepScalars s = AdamW.scalars(0.1, 1, hp);
        assertEquals(0.999f, s.decay());
        assertEquals(1f, s.stepSize());
        assertEquals((float) (1 / Math.sqrt(0.001)), s.invBc2Sqrt());
        // step() with these scalars: p = 2 * 0.999 = 1.998; m = 0.1 * g = 0.05 (g = 0.5);
        // v = 0.001 * 0.25 = 2.5e-4; denom = sqrt(2.5e-4) * 31.62... + 1e-8 = 0.5 (+1e-8); p -= 1 * 0.05 / 0.5 -> 1.898
        float[] p = {2f};
        new AdamW(1).step(p, new float[]{0.5f}, 0.1, hp);
        assertEquals(1.898f, p[0], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> AdamW.scalars(0.1, 0, hp));
    }
}
