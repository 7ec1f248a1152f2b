package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

import org.tribuo.usae.cli.UsaeCliTest.Run;

/**
 * {@code usae import} from the command line: the official fixtures and our own SAELens export become model files that
 * eval, analyze and report read; an export imported back evaluates exactly as the model it came from.
 */
class ImportCliTest {
    private static final Path FIXTURES = Path.of("..", "tribuo-usae", "src", "test", "resources", "interop");

    @Test
    void officialCheckpointsImportAndEveryCommandReadsThem(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("official.usae");
        Run r = usae("import", "--from", "official-usae", "--config", FIXTURES.resolve("official-usae/config.yaml").toString(),
                "-o", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("encoder=BATCHNORM, sparsity=TOPK"), r.out());
        // the same checkpoints named one by one, with the config's numbers given as options
        Path same = tmp.resolve("same.usae");
        String cfg = Files.readString(FIXTURES.resolve("official-usae/config.yaml"));
        StringBuilder std = new StringBuilder();
        StringBuilder ckpt = new StringBuilder();
        for (String n : new String[]{"alpha", "beta", "gamma"}) {
            String block = cfg.substring(cfg.indexOf("  " + n + ":"));
            String mean = block.replaceFirst("(?s).*?model_mean: ([^\\n]+).*", "$1");
            String sd = block.replaceFirst("(?s).*?model_std: ([^\\n]+).*", "$1");
            std.append(std.length() == 0 ? "" : ",").append(n).append('=').append(mean).append(':').append(sd);
            ckpt.append(ckpt.length() == 0 ? "" : ",").append(n).append('=')
                    .append(FIXTURES.resolve("official-usae/uni_" + n + "_checkpoint_3.pth"));
        }
        Run byHand = usae("import", "--from", "official-usae", "--checkpoint", ckpt.toString(), "-k", "4",
                "--standardization", std.toString(), "-o", same.toString());
        assertEquals(0, byHand.code(), byHand.err());

        Path data = Files.createDirectories(tmp.resolve("acts"));
        Random rng = new Random(3);
        int[] dims = {8, 6, 10};
        String[] names = {"alpha", "beta", "gamma"};
        for (int i = 0; i < 3; i++) {
            float[] x = new float[400 * dims[i]];
            for (int q = 0; q < x.length; q++) {
                x[q] = (float) (2 * rng.nextGaussian());
            }
            Npy.writeFloat32(data.resolve(names[i] + ".npy"), x, 400, dims[i]);
        }
        Run eval = usae("eval", "-m", model.toString(), "-d", data.toString());
        assertEquals(0, eval.code(), eval.err());
        Run evalSame = usae("eval", "-m", same.toString(), "-d", data.toString());
        assertEquals(eval.out().replace(model.toString(), ""), evalSame.out().replace(same.toString(), ""));
        Run analyze = usae("analyze", "-m", model.toString(), "-d", data.toString(), "-o", tmp.resolve("a").toString());
        assertEquals(0, analyze.code(), analyze.err());
        Run report = usae("report", "-m", model.toString(), "-d", data.toString(), "-o", tmp.resolve("rep.html").toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(tmp.resolve("rep.html")).contains("BATCHNORM"));
        Run info = usae("info", "-m", model.toString());
        assertTrue(info.out().contains("official-usae") && info.out().contains("uni_alpha_checkpoint_3.pth"), info.out());
    }

    @Test
    void anExportImportsBackToTheSameEvaluation(@TempDir Path tmp) throws Exception {
        Path data = UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 1000);
        Path run = tmp.resolve("run");
        Run train = usae("train", "-d", data.toString(), "-o", run.toString(), "--steps", "40", "--latents", "64",
                "-k", "4", "--batch-size", "100", "--hold-out", "0.2");
        assertEquals(0, train.code(), train.err());
        Run export = usae("export", "-m", run.toString(), "-o", tmp.resolve("sl").toString(), "--format", "saelens",
                "--check", data.toString(), "--check-rows", "300");
        assertEquals(0, export.code(), export.err());
        for (String m : new String[]{"alpha", "beta", "gamma"}) {
            assertTrue(export.out().contains("check " + m + ": 300 rows, active sets differ in 0,"), export.out());
            String cfg = Files.readString(tmp.resolve("sl/" + m + "/cfg.json"));
            assertTrue(cfg.contains("\"usae_activations_file\" : \"" + m + ".npy\"") && cfg.contains("\"usae_provenance\""), cfg);
        }
        Path back = tmp.resolve("back.usae");
        Run imp = usae("import", "--from", "saelens", "--folder", tmp.resolve("sl").toString(), "-o", back.toString());
        assertEquals(0, imp.code(), imp.err());
        Run a = usae("eval", "-m", run.toString(), "-d", data.toString(), "--rows", "800:1000");
        Run b = usae("eval", "-m", back.toString(), "-d", data.toString(), "--rows", "800:1000");
        assertEquals(0, b.code(), b.err());
        String table = a.out().substring(a.out().indexOf("src\\tgt"));
        assertEquals(table, b.out().substring(b.out().indexOf("src\\tgt")));
        // the folders alone, as plain SAELens folders sharing one index: the same table within print precision
        Path plain = tmp.resolve("plain.usae");
        Run folders = usae("import", "--from", "saelens", "--folder", "alpha=" + tmp.resolve("sl/alpha") + ",beta="
                + tmp.resolve("sl/beta") + ",gamma=" + tmp.resolve("sl/gamma"), "-o", plain.toString());
        assertEquals(0, folders.code(), folders.err());
        Run c = usae("eval", "-m", plain.toString(), "-d", data.toString(), "--rows", "800:1000");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("src\\tgt"), c.out());
    }

    @Test
    void badInvocationsGetOneLine(@TempDir Path tmp) {
        Run noFrom = usae("import", "-o", tmp.resolve("m.usae").toString());
        assertEquals(2, noFrom.code());
        assertEquals("usae import: error: --from is required (official-usae, sparc, saelens or sparsify)", noFrom.err().strip());
        Run unknown = usae("import", "--from", "onnx", "-o", tmp.resolve("m.usae").toString());
        assertEquals("usae import: error: --from must be one of official-usae, sparc, saelens, sparsify, got 'onnx'",
                unknown.err().strip());
        Run noK = usae("import", "--from", "sparc", "--checkpoint", FIXTURES.resolve("sparc/sparc_state_dict.pth").toString(),
                "-o", tmp.resolve("m.usae").toString());
        assertEquals("usae import: error: --k is required for this format: the TopK k the dictionary was trained with",
                noK.err().strip());
        Run badStd = usae("import", "--from", "sparc", "--checkpoint", FIXTURES.resolve("sparc/sparc_state_dict.pth").toString(),
                "-k", "4", "--standardization", "alpha=1", "-o", tmp.resolve("m.usae").toString());
        assertEquals("usae import: error: --standardization: 'alpha=1' is not NAME=MEAN:STD or NAME=none", badStd.err().strip());
        Run ok = usae("import", "--from", "sparc", "--checkpoint", FIXTURES.resolve("sparc/sparc_state_dict.pth").toString(),
                "-k", "4", "-o", tmp.resolve("m.usae").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("sparsity=GLOBAL_TOPK"), ok.out());
    }
}
