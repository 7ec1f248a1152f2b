package org.tribuo.usae.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAELens's own forward (written in {@link SaeLensForward} from its source) on the exported folders reproduces the
 * USAE's codes and every cross-reconstruction, for each recipe's architecture; joint selections reproduce them when
 * combined as the manifest says.
 */
class SaeLensExportTest {
    private static final int ROWS = 40;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void saeLensForwardReproducesCodesAndCrossReconstructions() throws Exception {
        long seed = 1;
        for (Architecture arch : InteropModels.architectures()) {
            UsaeModel model = InteropModels.random(arch, seed++);
            if (arch.sparsity() == SparsityKind.BATCH_TOPK) {
                for (int i = 0; i < 3; i++) {   // high enough that most rows stay under the row cap
                    model.parameters().model(i).get(ModelParameters.INFERENCE_THRESHOLD)[0] = 1.5f;
                }
            }
            Path out = tmp.resolve(arch.sparsity().name() + arch.encoder());
            SaeLensExport.Result result = SaeLensExport.write(model, out);
            assertEquals(arch.sparsity().joint() || arch.sparsity().rowCap(), !result.warnings().isEmpty(), arch.toString());
            float[][] x = InteropModels.rows(model, ROWS, seed);
            SaeLensWeights[] w = new SaeLensWeights[3];
            for (int i = 0; i < 3; i++) {
                Path dir = result.folders().get(i);
                w[i] = SaeLensWeights.read(dir);
                JsonNode cfg = MAPPER.readTree(Files.readString(dir.resolve(SaeLensExport.CONFIG)));
                assertEquals(arch.sparsity() == SparsityKind.BATCH_TOPK ? "jumprelu" : "topk", cfg.get("architecture").asText());
                assertEquals(InteropModels.DIMS[i], cfg.get("d_in").asInt());
                assertEquals(InteropModels.M, cfg.get("d_sae").asInt());
                assertFalse(cfg.get("apply_b_dec_to_input").asBoolean());
                assertEquals("none", cfg.get("normalize_activations").asText());
                assertEquals("model" + i, cfg.get("metadata").get("model_name").asText());
            }
            double[][] z = new double[3][];
            SparseCodes[] ours = arch.sparsity().joint() ? model.encodeJoint(x, ROWS) : null;
            int rowsCompared = 0;
            for (int i = 0; i < 3; i++) {
                z[i] = arch.sparsity().joint() ? joint(arch, w, x, i) : SaeLensForward.encode(w[i], false, arch.k(), x[i], ROWS);
                float[] dense = (ours != null ? ours[i] : model.encode(i, x[i], ROWS)).toDense(InteropModels.M);
                boolean[] compare = rowsUnderCap(arch, dense);
                for (int r = 0; r < ROWS; r++) {
                    if (!compare[r]) {
                        continue;
                    }
                    rowsCompared++;
                    for (int j = 0; j < InteropModels.M; j++) {
                        int q = r * InteropModels.M + j;
                        assertEquals(dense[q], z[i][q], 1e-4 * (1 + Math.abs(dense[q])), arch + " model " + i + " row " + r);
                    }
                }
            }
            assertTrue(rowsCompared >= 2 * ROWS, arch + ": only " + rowsCompared + " rows compared");
            if (!arch.sparsity().joint()) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        float[] expected = model.crossReconstruct(i, j, x[i], ROWS);
                        double[] got = SaeLensForward.decode(w[j], z[i], ROWS);
                        boolean[] compare = rowsUnderCap(arch, model.encode(i, x[i], ROWS).toDense(InteropModels.M));
                        int d = InteropModels.DIMS[j];
                        for (int q = 0; q < expected.length; q++) {
                            if (compare[q / d]) {
                                assertEquals(expected[q], got[q], 1e-4 * (1 + Math.abs(expected[q])), arch + " " + i + "->" + j);
                            }
                        }
                    }
                }
            }
        }
    }

    /** BatchTopK's row cap is the documented difference: rows that reach it are not compared. */
    private static boolean[] rowsUnderCap(Architecture arch, float[] dense) {
        boolean[] ok = new boolean[ROWS];
        for (int r = 0; r < ROWS; r++) {
            int active = 0;
            for (int j = 0; j < InteropModels.M; j++) {
                if (dense[r * InteropModels.M + j] != 0) {
                    active++;
                }
            }
            ok[r] = arch.maxRowSlots() == 0 || active < arch.maxRowSlots();
        }
        return ok;
    }

    /** The manifest's joint encoding, from the folders' tensors. */
    private static double[] joint(Architecture arch, SaeLensWeights[] w, float[][] x, int model) {
        int m = InteropModels.M;
        double[][] pre = new double[3][];
        for (int i = 0; i < 3; i++) {
            pre[i] = new double[ROWS * m];
            for (int r = 0; r < ROWS; r++) {
                for (int j = 0; j < m; j++) {
                    double s = w[i].bEnc()[j];
                    for (int c = 0; c < w[i].dIn(); c++) {
                        s += x[i][r * w[i].dIn() + c] * w[i].wEnc()[c * m + j];
                    }
                    pre[i][r * m + j] = s;
                }
            }
        }
        int shared = arch.sparsity() == SparsityKind.GLOBAL_TOPK ? arch.k() : arch.sharedK();
        double[] z = new double[ROWS * m];
        for (int r = 0; r < ROWS; r++) {
            boolean[] taken = new boolean[m];
            for (int t = 0; t < shared; t++) {
                int best = -1;
                double bestSum = 0;
                for (int j = 0; j < m; j++) {
                    double s = pre[0][r * m + j] + pre[1][r * m + j] + pre[2][r * m + j];
                    if (!taken[j] && (best < 0 || s > bestSum)) {
                        best = j;
                        bestSum = s;
                    }
                }
                taken[best] = true;
            }
            for (int t = shared; t < arch.k(); t++) {
                int best = -1;
                for (int j = 0; j < m; j++) {
                    if (!taken[j] && (best < 0 || pre[model][r * m + j] > pre[model][r * m + best])) {
                        best = j;
                    }
                }
                taken[best] = true;
            }
            for (int j = 0; j < m; j++) {
                z[r * m + j] = taken[j] ? Math.max(0, pre[model][r * m + j]) : 0;
            }
        }
        return z;
    }

    /**
     * Rows with fewer than k positive pre-activations: SAELens's TopK-then-ReLU fills the k slots with non-positive
     * entries it zeroes, ours keeps only positives; the dense codes must still agree, zero for zero.
     */
    @Test
    void fewerThanKPositivePreActivationsGiveTheSameCodes() throws Exception {
        Architecture arch = InteropModels.perModelAffine();   // per-model TopK, affine
        UsaeModel model = InteropModels.random(arch, 31);
        for (int i = 0; i < 3; i++) {
            float[] b = model.parameters().model(i).encoderBias();
            for (int j = 0; j < b.length; j++) {
                b[j] -= 3f;          // most pre-activations negative
            }
        }
        SaeLensExport.Result r = SaeLensExport.write(model, tmp.resolve("sparse"));
        float[][] x = InteropModels.rows(model, ROWS, 32);
        int sparseRows = 0;
        for (int i = 0; i < 3; i++) {
            SaeLensWeights w = SaeLensWeights.read(r.folders().get(i));
            double[] z = SaeLensForward.encode(w, false, arch.k(), x[i], ROWS);
            float[] dense = model.encode(i, x[i], ROWS).toDense(InteropModels.M);
            for (int row = 0; row < ROWS; row++) {
                int positive = 0;
                for (int j = 0; j < InteropModels.M; j++) {
                    int q = row * InteropModels.M + j;
                    assertEquals(dense[q], z[q], 1e-4 * (1 + Math.abs(dense[q])));
                    assertEquals(dense[q] == 0, z[q] == 0, "the same latents are zero");
                    positive += dense[q] > 0 ? 1 : 0;
                }
                sparseRows += positive < arch.k() ? 1 : 0;
            }
        }
        assertTrue(sparseRows > ROWS, "rows with fewer than k positives: " + sparseRows);
    }

    @Test
    void manifestDescribesModelsAndSelection() throws Exception {
        for (Architecture arch : InteropModels.architectures()) {
            UsaeModel model = InteropModels.random(arch, 7);
            Path out = tmp.resolve("manifest-" + arch.sparsity());
            SaeLensExport.write(model, out);
            JsonNode manifest = MAPPER.readTree(Files.readString(out.resolve(SaeLensExport.MANIFEST)));
            assertEquals(SaeLensExport.FORMAT, manifest.get("format").asText());
            assertEquals(arch, ArchitectureJson.read(manifest.get("architecture"), "usae.json"));
            assertEquals(3, manifest.get("models").size());
            assertEquals(model.parameters().model(1).mu(), manifest.get("models").get(1).get("mu").asDouble());
            assertEquals(arch.sparsity().joint(), manifest.get("encoding").asText().startsWith("jointly"));
            assertTrue(manifest.get("provenance").asText().contains("UsaeModel"));
        }
    }
}
