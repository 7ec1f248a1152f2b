package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.CpuEngine;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.AdamWConfig;
import org.tribuo.usae.train.FusedEngineOptions;
import org.tribuo.usae.train.Initializer;
import org.tribuo.usae.train.Rng64;
import org.tribuo.usae.train.StepStats;
import org.tribuo.usae.train.PerStepEngine;
import org.tribuo.usae.train.TrainingLoop;
import org.tribuo.usae.train.TrainingSettings;
import org.tribuo.usae.train.TrainingState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny faithful run (3 models of widths 8, 12, 16; m = 32, k = 4, 64 rows) trained through the real
 * loops, recording after every step the losses, the source and a copy of every tensor (parameters,
 * BatchNorm running statistics, AdamW moments) keyed "model/tensor[.exp_avg|.exp_avg_sq]".
 */
final class TrainingRun {
    static final int[] DIMS = {8, 12, 16};
    static final List<String> NAMES = List.of("a", "b", "c");
    static final int M = 32;
    static final int K = 4;
    static final int ROWS = 64;
    static final double LR = 1e-2;
    /**
     * The fire threshold of the one-source AuxK cases: each model is a source in only about a third of the steps, so
     * a latent must fire rarely to be dead for more than one of its model's steps.
     */
    static final double FEW_SOURCE_STEPS_FIRE = 2.0;

    /** Per step: the listener's statistics and a snapshot of every tensor. */
    record Step(StepStats stats, Map<String, float[]> tensors) {
    }

    private TrainingRun() {
    }

    /**
     * SPARC's step on the tiny shape: global TopK, tied unit-norm dictionary, NMSE self + cross terms,
     * AuxK over latents silent for more than one step (so it is active within a few steps), Adam
     * (no weight decay), constant rate, no clipping. Dead-latent re-initialisation is off here (it
     * runs in Java between chunks; OrtTrainerSelectionTest covers it through the trainer).
     */
    static TrainingSettings sparcSettings(long steps) {
        return sparcShapedSettings(SparsityKind.GLOBAL_TOPK, 1e-3, steps);
    }

    /**
     * SPARC's step with ALIGNED's per-model TopK. Per model, the batch's rows choose every latent at least once, so a
     * latent counts as fired only above 1.0 here: some are then dead each step and AuxK has work.
     */
    static TrainingSettings alignedSettings(long steps) {
        return sparcShapedSettings(SparsityKind.TOPK, 1.0, steps);
    }

    /**
     * ALIGNED's step with BatchTopK (rows of up to 3k latents, a mean of k per row over the batch), as the recipe
     * BATCH_TOPK. The fire threshold of ALIGNED's case keeps AuxK busy.
     */
    static TrainingSettings batchTopKSettings(long steps) {
        return affineSettings(new Architecture(M, K, EncoderKind.AFFINE, SparsityKind.BATCH_TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED, 0, 3 * K), SourceSelection.ALL, 1, 1.0, steps);
    }

    /** ALIGNED's step with three Matryoshka prefixes (8, 16 and 32 latents), as the recipe MATRYOSHKA. */
    static TrainingSettings matryoshkaSettings(long steps) {
        return affineSettings(new Architecture(M, K, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED), SourceSelection.ALL, 3, 1.0, steps);
    }

    /**
     * Blocks the built-in recipes do not combine, composed from their emitters: the affine step with the L2 criterion
     * ({@code affine-l2}) or with the official half-aux loss ({@code affine-half}); the BatchNorm encoder with NMSE
     * ({@code batchnorm-nmse}), with Matryoshka prefixes ({@code batchnorm-matryoshka}) or with SPARC's global TopK,
     * every model a source and dead-latent AuxK ({@code batchnorm-global}); the affine encoder with the official
     * row-normalised dictionary, no decoder bias and half-aux ({@code affine-rownorm}).
     */
    static TrainingSettings composedSettings(String which, long steps) {
        Architecture affine = new Architecture(M, K, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED);
        return switch (which) {
            case "affine-l2" -> affineSettings(affine, new Objective(ReconstructionLoss.L2, AuxLossKind.DEAD_AUXK, 1.0 / 32,
                    8, 1.0, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1, 1.0), steps);
            case "affine-half" -> affineSettings(affine, new Objective(ReconstructionLoss.NMSE, AuxLossKind.HALF, 0.1, 0,
                    1.0, SourceSelection.ALL, UpdateRule.ALL_MODELS, 1, 1.0), steps);
            case "batchnorm-nmse" -> batchNormSettings(ReconstructionLoss.NMSE, new Objective(ReconstructionLoss.NMSE,
                    AuxLossKind.HALF, 0.1, 0, 1.0, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1000, 1e-3), steps);
            case "batchnorm-matryoshka" -> batchNormSettings(ReconstructionLoss.L1, new Objective(ReconstructionLoss.L1,
                    AuxLossKind.HALF, 0.1, 0, 1.0, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1000, 1e-3, 3),
                    steps);
            case "batchnorm-global" -> batchNormSettings(new Architecture(M, K, EncoderKind.BATCHNORM,
                    SparsityKind.GLOBAL_TOPK, false, DictionaryConstraint.ROW_NORMALIZED), new Objective(
                    ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK, 1.0 / 32, 8, 1.0, SourceSelection.ALL,
                    UpdateRule.ALL_MODELS, 1, 1.0), steps);
            case "affine-rownorm" -> affineSettings(new Architecture(M, K, EncoderKind.AFFINE, SparsityKind.TOPK, false,
                    DictionaryConstraint.ROW_NORMALIZED), new Objective(ReconstructionLoss.L1, AuxLossKind.HALF, 0.1, 0,
                    1.0, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1000, 1e-3), steps);
            default -> throw new IllegalArgumentException(which);
        };
    }

    /** ALIGNED's model and loss with one random source per step and source-only updates, as AFFINE_FAST. */
    static TrainingSettings affineFastSettings(long steps) {
        return affineSettings(new Architecture(M, K, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED), SourceSelection.RANDOM_ONE, 1, FEW_SOURCE_STEPS_FIRE, steps);
    }

    private static TrainingSettings sparcShapedSettings(SparsityKind sparsity, double fireThreshold, long steps) {
        return affineSettings(new Architecture(M, K, EncoderKind.AFFINE, sparsity, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED), SourceSelection.ALL, 1, fireThreshold, steps);
    }

    private static TrainingSettings affineSettings(Architecture arch, SourceSelection sources, int levels,
                                                   double fireThreshold, long steps) {
        return affineSettings(arch, new Objective(ReconstructionLoss.NMSE, AuxLossKind.DEAD_AUXK, 1.0 / 32, 8, 1.0,
                sources, sources == SourceSelection.ALL ? UpdateRule.ALL_MODELS : UpdateRule.SOURCE_ONLY, 1,
                fireThreshold, levels), steps);
    }

    private static TrainingSettings affineSettings(Architecture arch, Objective obj, long steps) {
        return new TrainingSettings(arch, obj, new AdamWConfig(0.9, 0.999, 1e-8, 0), LR, LR, LR, false, false,
                0, 0, true, ROWS, steps, 0, 2, 5);
    }

    static TrainingSettings settings(ReconstructionLoss loss, long steps) {
        return batchNormSettings(loss, new Objective(loss, AuxLossKind.HALF, 0.1, 0, 1.0, SourceSelection.RANDOM_ONE,
                UpdateRule.SOURCE_ONLY, 1000, 1e-3), steps);
    }

    /**
     * FAITHFUL's step with dead-latent AuxK instead of half-aux, as the recipe FAST: latents silent for more than one
     * of their model's steps are dead, and a latent fires only above {@link #FEW_SOURCE_STEPS_FIRE}, so AuxK has work.
     */
    static TrainingSettings fastSettings(long steps) {
        return batchNormSettings(ReconstructionLoss.L1, new Objective(ReconstructionLoss.L1, AuxLossKind.DEAD_AUXK,
                1.0 / 32, 8, 1.0, SourceSelection.RANDOM_ONE, UpdateRule.SOURCE_ONLY, 1, FEW_SOURCE_STEPS_FIRE), steps);
    }

    private static TrainingSettings batchNormSettings(ReconstructionLoss loss, Objective obj, long steps) {
        return batchNormSettings(new Architecture(M, K, EncoderKind.BATCHNORM, SparsityKind.TOPK, false,
                DictionaryConstraint.ROW_NORMALIZED), obj, steps);
    }

    private static TrainingSettings batchNormSettings(Architecture arch, Objective obj, long steps) {
        // a large rate so that a few steps move every tensor far beyond the parity tolerance; the
        // per-source schedule (official quirk) exercises per-model step counting inside a chunk
        return new TrainingSettings(arch, obj, new AdamWConfig(0.9, 0.999, 1e-8, 1e-5), LR, 1e-3, 1e-3, true, true,
                1.0, 0, false, ROWS, steps, 2, 2, 5);
    }

    static List<Batch> batches(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Batch> out = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            long[] ids = new long[ROWS];
            float[][] x = new float[DIMS.length][];
            for (int n = 0; n < ROWS; n++) {
                ids[n] = (long) q * ROWS + n;
            }
            for (int i = 0; i < DIMS.length; i++) {
                x[i] = new float[ROWS * DIMS[i]];
                for (int v = 0; v < x[i].length; v++) {
                    x[i][v] = (float) (r.nextGaussian() * (1 + i));
                }
            }
            out.add(new Batch(ids, x, DIMS.clone()));
        }
        return out;
    }

    static TrainingState freshState(TrainingSettings settings) {
        return new TrainingState(Initializer.initialize(settings.architecture(), NAMES, DIMS, settings.tiedInit(), new Rng64(7)),
                new Rng64(8), new Rng64(9));
    }

    /** Trains with the CPU engine (per-step loop) or a fused ORT engine with the given chunk length. */
    static List<Step> train(TrainingSettings settings, List<Batch> raw, EngineKind kind, int chunk) {
        TrainingState state = freshState(settings);
        List<Step> steps = new ArrayList<>();
        var listener = (org.tribuo.usae.train.TrainingListener) s -> steps.add(new Step(s, snapshot(state)));
        List<Batch> batches = raw.stream().map(TrainingRun::copy).toList();   // loops standardise in place
        if (kind == EngineKind.CPU) {
            new TrainingLoop(new PerStepEngine(new CpuEngine(), settings), settings, List.of(listener)).run(state, batches.iterator());
        } else {
            try (OrtTrainingEngine engine = new OrtTrainingEngine(kind, settings, DIMS, new FusedEngineOptions(chunk, false))) {
                new TrainingLoop(engine, settings, List.of(listener)).run(state, batches.iterator());
            }
        }
        steps.add(new Step(null, snapshot(state)));    // the final state, including counters' effects
        return steps;
    }

    static Map<String, float[]> snapshot(TrainingState state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < state.params().numModels(); i++) {
            ModelParameters p = state.params().model(i);
            p.trainable().forEach((k, v) -> out.put(p.name() + "/" + k, v.clone()));
            p.buffers().forEach((k, v) -> out.put(p.name() + "/" + k, v.clone()));
            for (Map.Entry<String, AdamW> e : state.optimizer(i).entrySet()) {
                out.put(p.name() + "/" + e.getKey() + ".exp_avg", e.getValue().firstMoment().clone());
                out.put(p.name() + "/" + e.getKey() + ".exp_avg_sq", e.getValue().secondMoment().clone());
            }
            out.put(p.name() + "/adam_steps", new float[]{state.optimizer(i).values().iterator().next().steps()});
            out.put(p.name() + "/bn_batches", new float[]{p.bnBatchesTracked()});
            out.put(p.name() + "/updates", new float[]{state.modelUpdates()[i]});
            float[] counters = new float[M];
            for (int j = 0; j < M; j++) {
                counters[j] = state.stepsSinceFired()[i][j];
            }
            out.put(p.name() + "/steps_since_fired", counters);
        }
        return out;
    }

    private static Batch copy(Batch b) {
        float[][] x = new float[b.numModels()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.x()[i].clone();
        }
        return new Batch(b.rowIds().clone(), x, b.dims().clone());
    }
}
