package org.tribuo.usae.golden;

import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyArray;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.TrainingState;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the golden fixtures written by {@code tools/golden/make_fixtures.py} (rank-2 float32 / int64
 * .npy files under {@code src/test/resources/golden/}) and compares tensors with a stated tolerance.
 */
final class GoldenFixture {
    final Path root;
    /** Largest observed |ours - theirs| / scale per tensor kind, for the report printed by the tests. */
    final Map<String, Double> worst = new java.util.TreeMap<>();

    GoldenFixture(String recipe) {
        try {
            this.root = Path.of(GoldenFixture.class.getResource("/golden/" + recipe).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean exists(String rel) {
        return Files.exists(root.resolve(rel + ".npy"));
    }

    float[] f32(String rel) {
        try (NpyArray a = NpyArray.open(root.resolve(rel + ".npy"), Npy.ACTIVATION_DTYPES)) {
            float[] v = new float[Math.toIntExact(a.rows() * a.cols())];
            for (long r = 0; r < a.rows(); r++) {
                a.readRow(r, v, Math.toIntExact(r * a.cols()));
            }
            return v;
        }
    }

    long[] i64(String rel) {
        try (NpyArray a = NpyArray.open(root.resolve(rel + ".npy"), Npy.INDEX_DTYPES)) {
            long[] v = new long[Math.toIntExact(a.rows() * a.cols())];
            for (long r = 0; r < a.rows(); r++) {
                for (int c = 0; c < a.cols(); c++) {
                    v[Math.toIntExact(r * a.cols() + c)] = a.getLong(r, c);
                }
            }
            return v;
        }
    }

    double scalar(String rel) {
        return f32(rel)[0];
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * max|expected|} element-wise (the tolerance
     * scales with the tensor's magnitude, so near-zero entries of a tensor are held to the tensor's
     * own scale, not to their own tiny values).
     */
    void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = atol + rtol * scale;
        double maxDiff = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
                at = i;
            }
        }
        String kind = what.replaceAll("^.*?\\] ", "").replaceAll("\\s.*$", "");
        worst.merge(kind, scale > 0 ? maxDiff / scale : maxDiff, Math::max);
        if (!(maxDiff <= tol)) {
            fail(what + ": max |diff| " + maxDiff + " at " + at + " (expected " + expected[at] + ", got "
                    + actual[at] + ") exceeds " + tol + " (scale " + scale + ")");
        }
    }

    /** Loads a model's trainable tensors and buffers from a fixture step directory. */
    void load(ModelParameters p, String dir) {
        for (String name : p.trainable().keySet()) {
            float[] v = f32(dir + "/" + name);
            System.arraycopy(v, 0, p.get(name), 0, v.length);
        }
        for (String name : p.buffers().keySet()) {
            float[] v = f32(dir + "/" + name);
            System.arraycopy(v, 0, p.get(name), 0, v.length);
        }
        if (exists(dir + "/bn.num_batches_tracked")) {
            p.setBnBatchesTracked(i64(dir + "/bn.num_batches_tracked")[0]);
        }
    }

    /** Compares every tensor, buffer and AdamW state of model {@code i} with a fixture directory. */
    void compareModel(String label, TrainingState state, int i, String dir, double rtol, double atol) {
        compareModel(label, state, i, dir, rtol, atol, rtol);
    }

    /** As above, with a separate relative tolerance for the AdamW moments. */
    void compareModel(String label, TrainingState state, int i, String dir, double rtol, double atol,
                      double momentRtol) {
        ModelParameters p = state.params().model(i);
        for (String name : p.trainable().keySet()) {
            assertClose(label + " " + name + " (" + dir + ")", f32(dir + "/" + name), p.get(name), rtol, atol);
            AdamW opt = state.optimizer(i).get(name);
            assertClose(label + " exp_avg (" + dir + "/" + name + ")", f32(dir + "/exp_avg." + name),
                    opt.firstMoment(), momentRtol, atol);
            assertClose(label + " exp_avg_sq (" + dir + "/" + name + ")", f32(dir + "/exp_avg_sq." + name),
                    opt.secondMoment(), momentRtol, atol * atol);
            assertEquals(i64(dir + "/adam_step." + name)[0], opt.steps(), label + " adam step " + dir + "/" + name);
        }
        for (String name : p.buffers().keySet()) {
            assertClose(label + " " + name + " (" + dir + ")", f32(dir + "/" + name), p.get(name), rtol, atol);
        }
        if (exists(dir + "/bn.num_batches_tracked")) {
            assertEquals(i64(dir + "/bn.num_batches_tracked")[0], p.bnBatchesTracked(),
                    label + " num_batches_tracked " + dir);
        }
    }

    /** Dense {@code [rows x m]} from fixture values/indices. */
    static float[] dense(float[] values, long[] indices, int rows, int k, int m) {
        float[] out = new float[rows * m];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                out[r * m + (int) indices[r * k + j]] += values[r * k + j];
            }
        }
        return out;
    }

    static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("m" + i);
        }
        return out;
    }
}
