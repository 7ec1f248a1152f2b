package org.tribuo.usae.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ModelFileProvenance;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyArray;
import org.tribuo.usae.data.Sha256;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints saved by the official USAE code and by SPARC's code (tools/interop/make_fixtures.py, the upstream
 * classes at the commits of golden/UPSTREAM.txt) import into models whose forward reproduces the upstream one:
 * codes, indices and every cross-reconstruction within 1e-5.
 */
class UpstreamImportTest {
    static final List<String> NAMES = List.of("alpha", "beta", "gamma");
    static final int M = 24;
    static final int K = 4;

    static Path resource(String rel) {
        try {
            return Path.of(UpstreamImportTest.class.getResource("/interop/" + rel).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] f32(Path file) {
        try (NpyArray a = NpyArray.open(file, Npy.ACTIVATION_DTYPES)) {
            float[] v = new float[Math.toIntExact(a.rows() * a.cols())];
            for (long r = 0; r < a.rows(); r++) {
                a.readRow(r, v, Math.toIntExact(r * a.cols()));
            }
            return v;
        }
    }

    static long[] i64(Path file) {
        try (NpyArray a = NpyArray.open(file, Npy.INDEX_DTYPES)) {
            long[] v = new long[Math.toIntExact(a.rows() * a.cols())];
            for (long r = 0; r < a.rows(); r++) {
                for (int c = 0; c < a.cols(); c++) {
                    v[Math.toIntExact(r * a.cols() + c)] = a.getLong(r, c);
                }
            }
            return v;
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int q = 0; q < expected.length; q++) {
            assertEquals(expected[q], actual[q], 1e-5 * (1 + Math.abs(expected[q])), what + " at " + q);
        }
    }

    /** Sorted selected latents per row, from codes whose k values are all positive (as upstream's topk reports). */
    static long[] sortedIndices(SparseCodes codes) {
        long[] out = new long[codes.rows() * codes.k()];
        for (int r = 0; r < codes.rows(); r++) {
            long[] row = new long[codes.k()];
            for (int s = 0; s < codes.k(); s++) {
                row[s] = codes.indices()[r * codes.k() + s];
            }
            Arrays.sort(row);
            System.arraycopy(row, 0, out, r * codes.k(), codes.k());
        }
        return out;
    }

    @Test
    void officialCheckpointsReproduceTheOfficialForward(@TempDir Path tmp) {
        UsaeModel model = OfficialUsaeConfig.read(resource("official-usae/config.yaml")).load();
        assertEquals(NAMES, model.modelNames());
        assertEquals(EncoderKind.BATCHNORM, model.parameters().architecture().encoder());
        assertEquals(K, model.parameters().architecture().k());
        checkForward(model, "official-usae", false);
        // the provenance names every checkpoint with its SHA-256, and survives the model file
        ImportSourceProvenance source = (ImportSourceProvenance) model.getProvenance().getDatasetProvenance().getSourceProvenance();
        assertEquals("official-usae", source.format());
        ModelFileProvenance first = source.files().get(0);
        Path ckpt = resource("official-usae/uni_alpha_checkpoint_3.pth");
        assertEquals(Sha256.ofFile(ckpt), first.sha256());
        assertTrue(first.toString().contains("uni_alpha_checkpoint_3.pth"), first.toString());
        Path saved = tmp.resolve("model.usae");
        ModelFiles.save(model, saved);
        UsaeModel back = ModelFiles.load(saved);
        assertEquals(model.getProvenance(), back.getProvenance());
        checkForward(back, "official-usae", false);
        assertEquals(18L, model.parameters().model(0).bnBatchesTracked() + 17, "one training batch tracked");
    }

    @Test
    void sparcStateDictReproducesSparcsForward() {
        UsaeModel model = DictionaryImport.sparc(resource("sparc/sparc_state_dict.pth"), K, Map.of());
        assertEquals(NAMES, model.modelNames());
        assertEquals(SparsityKind.GLOBAL_TOPK, model.parameters().architecture().sparsity());
        checkForward(model, "sparc", true);
    }

    private static void checkForward(UsaeModel model, String dir, boolean joint) {
        float[][] x = new float[3][];
        for (int i = 0; i < 3; i++) {
            x[i] = f32(resource(dir + "/expected/" + NAMES.get(i) + "/input.npy"));
        }
        int rows = x[0].length / model.parameters().model(0).dim();
        SparseCodes[] codes = joint ? model.encodeJoint(x, rows) : new SparseCodes[3];
        for (int i = 0; i < 3; i++) {
            if (!joint) {
                codes[i] = model.encode(i, x[i], rows);
            }
            String n = NAMES.get(i);
            assertClose(f32(resource(dir + "/expected/" + n + "/codes.npy")), codes[i].toDense(M), dir + " codes " + n);
            assertArrayEquals(i64(resource(dir + "/expected/" + n + "/indices.npy")), sortedIndices(codes[i]), dir + " indices " + n);
        }
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 3; t++) {
                float[] expected = f32(resource(dir + "/expected/" + NAMES.get(s) + "_to_" + NAMES.get(t) + ".npy"));
                assertClose(expected, model.decodeStandardized(codes[s], t), dir + " " + NAMES.get(s) + "->" + NAMES.get(t));
            }
        }
    }

    @Test
    void missingOrWrongInputsAreNamed() {
        Path ckpt = resource("official-usae/uni_alpha_checkpoint_3.pth");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.officialUsae(
                List.of(new DictionaryImport.Source("alpha", ckpt)), K, Map.of()));
        assertEquals("Model 'alpha' has no standardisation: give its mean and std (the official config's model_mean and "
                + "model_std), or 'none' if it was trained on raw activations", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.officialUsae(
                List.of(new DictionaryImport.Source("alpha", ckpt)), 0, Map.of("alpha", DictionaryImport.Standardization.NONE)));
        assertTrue(e.getMessage().startsWith("k must be in [1, 24]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.officialUsae(
                List.of(new DictionaryImport.Source("alpha", resource("sparc/sparc_state_dict.pth"))), K,
                Map.of("alpha", DictionaryImport.Standardization.NONE)));
        assertTrue(e.getMessage().contains("the checkpoint has no 'model_state_dict'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.sparc(ckpt, K, Map.of()));
        assertTrue(e.getMessage().contains("no encoders.<stream>.weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.sparc(resource("sparc/sparc_state_dict.pth"),
                K, Map.of("delta", DictionaryImport.Standardization.NONE)));
        assertTrue(e.getMessage().endsWith("a standardisation is given for 'delta', which is not one of its streams [alpha, beta, gamma]"),
                e.getMessage());
    }
}
