package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyArray;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.TrainingState;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads core's golden fixtures (torch-recorded steps of the official USAE and SPARC code, written by
 * {@code tools/golden/make_fixtures.py}) and compares our tensors with them. Maven runs tests in the
 * module folder, so the fixtures are found next door under {@code tribuo-usae/src/test/resources/golden}.
 */
final class GoldenFiles {
    private final Path root;

    GoldenFiles(String recipe) {
        root = Path.of("..", "tribuo-usae", "src", "test", "resources", "golden", recipe);
        assertTrue(Files.isDirectory(root), "golden fixture folder " + root.toAbsolutePath() + " is missing");
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

    /** Every trainable tensor, its AdamW moments and step count, and every buffer of model i against a fixture folder. */
    void compareModel(TrainingState state, int i, String dir, double rtol, double atol, double momentRtol) {
        ModelParameters p = state.params().model(i);
        for (String name : p.trainable().keySet()) {
            assertClose(dir + "/" + name, f32(dir + "/" + name), p.get(name), rtol, atol);
            AdamW opt = state.optimizer(i).get(name);
            assertClose(dir + "/exp_avg." + name, f32(dir + "/exp_avg." + name), opt.firstMoment(), momentRtol, atol);
            assertClose(dir + "/exp_avg_sq." + name, f32(dir + "/exp_avg_sq." + name), opt.secondMoment(), momentRtol,
                    atol * atol);
            assertEquals(i64(dir + "/adam_step." + name)[0], opt.steps(), dir + " adam step of " + name);
        }
        for (String name : p.buffers().keySet()) {
            assertClose(dir + "/" + name, f32(dir + "/" + name), p.get(name), rtol, atol);
        }
        if (exists(dir + "/bn.num_batches_tracked")) {
            assertEquals(i64(dir + "/bn.num_batches_tracked")[0], p.bnBatchesTracked(), dir + " num_batches_tracked");
        }
    }

    /** {@code |actual - expected| <= atol + rtol * max|expected|} element-wise. */
    static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = atol + rtol * scale;
        for (int q = 0; q < expected.length; q++) {
            double d = Math.abs((double) actual[q] - expected[q]);
            assertTrue(d <= tol, what + "[" + q + "]: torch " + expected[q] + ", ort " + actual[q] + ", |diff| " + d
                    + " > " + tol);
        }
    }
}
