package org.tribuo.usae.interop;

import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import org.tribuo.usae.engine.TestParams;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;
import org.tribuo.usae.train.Recipe;
import org.tribuo.usae.train.Recipes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;

/** Models with random parameters of every recipe's architecture, and rows, for the interop tests. */
final class InteropModels {
    static final int[] DIMS = {5, 7, 4};
    static final int M = 24;

    private InteropModels() {
    }

    /**
     * The architecture every built-in recipe trains (at m = 24, k = 4, BatchTopK's row cap 8), plus hybrid TopK
     * (an option of ALIGNED, no recipe's default), without repeats.
     */
    static List<Architecture> architectures() {
        java.util.LinkedHashSet<Architecture> out = new java.util.LinkedHashSet<>();
        for (Recipe r : Recipes.all()) {
            out.add(new Architecture(M, 4, r.encoder(), r.sparsity(), r.decoderBias(), r.dictionary(),
                    r.sparsity().sharedSlots() ? 2 : 0, r.sparsity().rowCap() ? 8 : 0));
        }
        out.add(new Architecture(M, 4, EncoderKind.AFFINE, SparsityKind.HYBRID_TOPK, true,
                DictionaryConstraint.ROW_NORMALIZED, 2));
        return List.copyOf(out);
    }

    /** Per-model TopK with an affine encoder and a decoder bias: one folder is the whole forward. */
    static Architecture perModelAffine() {
        return new Architecture(M, 4, EncoderKind.AFFINE, SparsityKind.TOPK, true, DictionaryConstraint.ROW_NORMALIZED);
    }

    static UsaeModel random(Architecture arch, long seed) {
        UsaeParameters params = TestParams.random(arch, DIMS, seed);
        Random rng = new Random(seed + 1);
        for (int i = 0; i < DIMS.length; i++) {
            ModelParameters p = params.model(i);
            p.setBnBatchesTracked(17 + i);
            if (p.has(ModelParameters.INFERENCE_THRESHOLD)) {
                p.get(ModelParameters.INFERENCE_THRESHOLD)[0] = 0.2f + 0.1f * i;
            }
            p.setStandardization(0.3 * rng.nextGaussian(), 0.5 + 2 * rng.nextDouble());
        }
        return UsaeModel.create("interop-test", new ModelProvenance(UsaeModel.class.getName(), OffsetDateTime.now(),
                new EmptyDatasetProvenance(), new EmptyTrainerProvenance()), params);
    }

    /** @return per model {@code [rows x d_i]} raw rows with the model's offset and scale. */
    static float[][] rows(UsaeModel model, int rows, long seed) {
        Random rng = new Random(seed);
        float[][] x = new float[DIMS.length][];
        for (int i = 0; i < DIMS.length; i++) {
            ModelParameters p = model.parameters().model(i);
            x[i] = new float[rows * DIMS[i]];
            for (int q = 0; q < x[i].length; q++) {
                x[i][q] = (float) (p.mu() + p.sigma() * rng.nextGaussian());
            }
        }
        return x;
    }
}
