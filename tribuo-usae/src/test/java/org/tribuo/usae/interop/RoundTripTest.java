package org.tribuo.usae.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.SparsityKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export then import: our SAELens export comes back bit for bit with the same codes; its folders read as plain SAELens
 * folders give the same codes and cross-reconstructions; hand-written SAELens (every config flag) and sparsify folders
 * import to models whose forward is theirs.
 */
class RoundTripTest {
    private static final int ROWS = 30;

    @TempDir
    Path tmp;

    @Test
    void ourExportImportsExactly() {
        long seed = 3;
        for (Architecture arch : InteropModels.architectures()) {
            UsaeModel model = InteropModels.random(arch, seed++);
            Path out = tmp.resolve("exact-" + arch.sparsity() + arch.encoder());
            SaeLensExport.write(model, out);
            UsaeModel back = DictionaryImport.saeLensExport(out);
            assertEquals(arch, back.parameters().architecture());
            assertEquals(model.modelNames(), back.modelNames());
            for (int i = 0; i < 3; i++) {
                ModelParameters a = model.parameters().model(i);
                ModelParameters b = back.parameters().model(i);
                assertEquals(a.mu(), b.mu());
                assertEquals(a.sigma(), b.sigma());
                assertEquals(a.bnBatchesTracked(), b.bnBatchesTracked());
                assertEquals(a.trainable().keySet(), b.trainable().keySet());
                for (String t : a.trainable().keySet()) {
                    assertArrayEquals(a.get(t), b.get(t), arch + " " + t);
                }
                for (String t : a.buffers().keySet()) {
                    assertArrayEquals(a.get(t), b.get(t), arch + " " + t);
                }
            }
            float[][] x = InteropModels.rows(model, ROWS, seed);
            SparseCodes[] ours = model.encodeJoint(x, ROWS);
            SparseCodes[] theirs = back.encodeJoint(x, ROWS);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(ours[i].values(), theirs[i].values(), arch + " codes");
                assertArrayEquals(ours[i].indices(), theirs[i].indices(), arch + " indices");
            }
            assertEquals("saelens", ((ImportSourceProvenance) back.getProvenance().getDatasetProvenance()
                    .getSourceProvenance()).format());
        }
    }

    @Test
    void exportedFoldersReadAsPlainSaeLensFolders() {
        for (Architecture arch : InteropModels.architectures()) {
            if (arch.sparsity() != SparsityKind.TOPK) {
                continue;           // one folder's forward is the USAE's only for per-model TopK
            }
            UsaeModel model = InteropModels.random(arch, 11);
            Path out = tmp.resolve("plain-" + arch.encoder());
            SaeLensExport.Result r = SaeLensExport.write(model, out);
            List<DictionaryImport.Source> sources = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sources.add(new DictionaryImport.Source(model.modelNames().get(i), r.folders().get(i)));
            }
            UsaeModel back = DictionaryImport.saeLens(sources);
            float[][] x = InteropModels.rows(model, ROWS, 12);
            for (int i = 0; i < 3; i++) {
                float[] expected = model.encode(i, x[i], ROWS).toDense(InteropModels.M);
                float[] got = back.encode(i, x[i], ROWS).toDense(InteropModels.M);
                for (int q = 0; q < expected.length; q++) {
                    assertEquals(expected[q], got[q], 1e-4 * (1 + Math.abs(expected[q])), arch + " codes " + i);
                }
                for (int j = 0; j < 3; j++) {
                    float[] e = model.crossReconstruct(i, j, x[i], ROWS);
                    float[] g = back.crossReconstruct(i, j, x[i], ROWS);
                    for (int q = 0; q < e.length; q++) {
                        assertEquals(e[q], g[q], 1e-4 * (1 + Math.abs(e[q])), arch + " " + i + "->" + j);
                    }
                }
            }
        }
    }

    @Test
    void handWrittenSaeLensFoldersFollowEveryConfigFlag() throws Exception {
        Random rng = new Random(5);
        int d = 6;
        int m = 16;
        int k = 3;
        for (boolean apply : new boolean[]{true, false}) {
            for (boolean rescale : new boolean[]{false, true}) {
                SaeLensWeights w = new SaeLensWeights(d, m, gaussian(rng, d * m), gaussian(rng, m), gaussian(rng, m * d),
                        gaussian(rng, d), null);
                Path dir = Files.createDirectories(tmp.resolve("sl-" + apply + rescale));
                new SafetensorsWriter().putFloats("W_enc", w.wEnc(), d, m).putFloats("b_enc", w.bEnc(), m)
                        .putFloats("W_dec", w.wDec(), m, d).putFloats("b_dec", w.bDec(), d)
                        .write(dir.resolve(SaeLensExport.WEIGHTS));
                Files.writeString(dir.resolve("cfg.json"), "{\"architecture\": \"topk\", \"d_in\": " + d + ", \"d_sae\": " + m
                        + ", \"k\": " + k + ", \"apply_b_dec_to_input\": " + apply + ", \"rescale_acts_by_decoder_norm\": "
                        + rescale + ", \"normalize_activations\": \"none\", \"dtype\": \"float32\", \"metadata\": {}}");
                UsaeModel model = DictionaryImport.saeLens(List.of(new DictionaryImport.Source("x", dir)));
                float[] x = gaussian(rng, ROWS * d);
                double[] z = SaeLensForward.encode(w, apply, rescale, k, x, ROWS);
                SparseCodes codes = model.encode(0, x, ROWS);
                float[] dense = codes.toDense(m);
                for (int q = 0; q < z.length; q++) {
                    assertEquals(z[q], dense[q], 1e-4 * (1 + Math.abs(z[q])), "apply " + apply + " rescale " + rescale);
                }
                double[] xHat = SaeLensForward.decode(w, z, rescale, ROWS);
                float[] ours = model.decode(codes, 0);
                for (int q = 0; q < xHat.length; q++) {
                    assertEquals(xHat[q], ours[q], 1e-4 * (1 + Math.abs(xHat[q])), "decode apply " + apply + " rescale " + rescale);
                }
            }
        }
    }

    @Test
    void sparsifyFoldersImportWithTheirForward() throws Exception {
        Architecture arch = new Architecture(InteropModels.M, 4, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED);
        UsaeModel model = InteropModels.random(arch, 21);
        List<DictionaryImport.Source> sources = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ModelParameters p = model.parameters().model(i);
            p.setStandardization(DictionaryImport.Standardization.NONE.mu(), DictionaryImport.Standardization.NONE.sigma());
            Path dir = Files.createDirectories(tmp.resolve("sparsify/" + p.name()));
            // sparsify's SparseCoder: encoder Linear [m x d] with bias, W_dec [m x d], b_dec [d] subtracted first
            new SafetensorsWriter().putFloats("encoder.weight", p.encoderWeight(), p.numLatents(), p.dim())
                    .putFloats("encoder.bias", p.encoderBias(), p.numLatents())
                    .putFloats("W_dec", p.dictionary(), p.numLatents(), p.dim())
                    .putFloats("b_dec", p.inputBias(), p.dim()).write(dir.resolve("sae.safetensors"));
            Files.writeString(dir.resolve("cfg.json"), "{\"activation\": \"topk\", \"expansion_factor\": 32, "
                    + "\"normalize_decoder\": true, \"num_latents\": " + p.numLatents() + ", \"k\": 4, \"multi_topk\": false, "
                    + "\"skip_connection\": false, \"transcode\": false, \"d_in\": " + p.dim() + "}");
            sources.add(new DictionaryImport.Source(p.name(), dir));
        }
        UsaeModel back = DictionaryImport.sparsify(sources);
        float[][] x = InteropModels.rows(model, ROWS, 22);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(model.encode(i, x[i], ROWS).toDense(InteropModels.M), back.encode(i, x[i], ROWS).toDense(InteropModels.M));
            for (int j = 0; j < 3; j++) {
                assertArrayEquals(model.crossReconstruct(i, j, x[i], ROWS), back.crossReconstruct(i, j, x[i], ROWS));
            }
        }
        Files.writeString(sources.get(0).path().resolve("cfg.json"), "{\"activation\": \"groupmax\", \"d_in\": 5}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.sparsify(sources));
        assertTrue(e.getMessage().endsWith("cfg.json: activation 'groupmax' is not read; usae import reads sparsify 'topk' SAEs"),
                e.getMessage());
    }

    @Test
    void foldersThatDoNotShareAnIndexOrAreNotTopKAreRefused() throws Exception {
        UsaeModel model = InteropModels.random(InteropModels.perModelAffine(), 4);
        SaeLensExport.Result r = SaeLensExport.write(model, tmp.resolve("e"));
        Path other = tmp.resolve("other");
        SaeLensExport.write(InteropModels.random(new Architecture(12, 4, EncoderKind.AFFINE, SparsityKind.TOPK, true,
                DictionaryConstraint.ROW_NORMALIZED), 5), other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.saeLens(List.of(
                new DictionaryImport.Source("a", r.folders().get(0)), new DictionaryImport.Source("b", other.resolve("model1")))));
        assertTrue(e.getMessage().contains("d_sae 12 and k 4 differ from"), e.getMessage());
        Path cfg = r.folders().get(1).resolve("cfg.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"topk\"", "\"jumprelu\""));
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.saeLens(List.of(
                new DictionaryImport.Source("b", r.folders().get(1)))));
        assertTrue(e.getMessage().endsWith("architecture 'jumprelu' is not read; usae import reads SAELens 'topk' SAEs "
                + "(a USAE's per-model TopK)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.saeLens(List.of(
                new DictionaryImport.Source("a", r.folders().get(0)), new DictionaryImport.Source("a", r.folders().get(2)))));
        assertEquals("Model name 'a' is given twice", e.getMessage());
        Files.writeString(tmp.resolve("e/usae.json"), Files.readString(tmp.resolve("e/usae.json"))
                .replace("\"parameters\" : \"usae.safetensors\"", "\"parameters\" : \"../../etc/passwd\""));
        e = assertThrows(IllegalArgumentException.class, () -> DictionaryImport.saeLensExport(tmp.resolve("e")));
        assertTrue(e.getMessage().endsWith("'parameters' must name usae.safetensors in the export's folder"), e.getMessage());
    }

    private static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int q = 0; q < n; q++) {
            v[q] = (float) rng.nextGaussian();
        }
        return v;
    }
}
