package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyArray;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on real files: plain .npy folders in, model/eval/export files out. */
public class UsaeCliTest {
    public record Run(int code, String out, String err) {
    }

    public static Run usae(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Usae.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A plain folder of &lt;model&gt;.npy files, as numpy's np.save writes them (no manifest). */
    /**
     * Writes the demo's planted set as an activation set whose rows are {@code inputs} inputs of {@code tokens}
     * tokens each (row r is token r % tokens of input r / tokens), with a row index.
     * @return the planted data written.
     */
    static PlantedData plantedInputs(Path data, int inputs, int tokens) throws java.io.IOException {
        PlantedData d = PlantedConcepts.generate(PlantedOptions.demo().withRows(inputs * tokens));
        try (org.tribuo.usae.data.ActivationSetWriter w = org.tribuo.usae.data.ActivationSetWriter.create(data,
                java.util.List.of(d.names()), d.dims(), true)) {
            long[] ids = new long[d.rows()];
            long[] positions = new long[d.rows()];
            for (int r = 0; r < d.rows(); r++) {
                ids[r] = r / tokens;
                positions[r] = r % tokens;
            }
            w.append(d.x(), d.rows(), ids, positions);
        }
        return d;
    }

    static Path plainNpyFolder(Path dir, int rows) {
        PlantedData d = PlantedConcepts.generate(PlantedOptions.demo().withRows(rows));
        for (int i = 0; i < d.numModels(); i++) {
            Npy.writeFloat32(dir.resolve(d.names()[i] + ".npy"), d.x()[i], d.rows(), d.dims()[i]);
        }
        return dir;
    }

    @Test
    void trainEvalExportAndInfoOnAPlainNpyFolder(@TempDir Path tmp) throws Exception {
        Path data = plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 3000);
        Path out = tmp.resolve("run");
        Run train = usae("train", "-d", data.toString(), "-o", out.toString(), "--recipe", "sparc", "--steps", "150",
                "--latents", "96", "-k", "6", "--batch-size", "128", "--lr", "3e-3", "--hold-out", "0.1",
                "--@trainer.auxK", "16");
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.size(out.resolve("model.usae")) > 0);
        assertTrue(Files.readString(out.resolve("eval.json")).contains("\"varianceWeighted\""));
        assertTrue(Files.readString(out.resolve("trainer-config.xml")).contains("<property name=\"auxK\" value=\"16\"/>"));
        assertTrue(train.out().contains("Held-out evaluation (300 rows)"), train.out());

        Run eval = usae("eval", "-m", out.toString(), "-d", data.toString(), "--json", tmp.resolve("e.json").toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("Rows [2700, 3000)"), eval.out()); // the trainer's held-out rows by default
        assertTrue(eval.out().contains("src\\tgt"), eval.out());
        assertTrue(Files.exists(tmp.resolve("e.json")));
        assertFalse(eval.out().contains("Linear ceiling"), "the ceiling only on request");

        Run ceiling = usae("eval", "-m", out.toString(), "-d", data.toString(), "--linear-ceiling", "--json",
                tmp.resolve("c.json").toString());
        assertEquals(0, ceiling.code(), ceiling.err());
        assertTrue(ceiling.out().startsWith(eval.out().substring(0, eval.out().indexOf("Wrote"))), ceiling.out());
        assertTrue(ceiling.out().contains("fitted on 2700 rows, scored on 300 held-out rows"), ceiling.out());
        assertTrue(ceiling.out().contains("chosen on the last 270 training rows"), ceiling.out());
        assertTrue(ceiling.out().contains("USAE / ceiling, varianceWeighted"), ceiling.out());
        String ceilingJson = Files.readString(tmp.resolve("c.json"));
        assertTrue(ceilingJson.contains("\"linearCeiling\"") && ceilingJson.contains("\"usaeOverCeilingVarianceWeighted\""),
                ceilingJson);
        Run badRidge = usae("eval", "-m", out.toString(), "-d", data.toString(), "--linear-ceiling", "--ceiling-ridge", "0");
        assertEquals(2, badRidge.code());
        assertTrue(badRidge.err().contains("--ceiling-ridge: '0' is neither 'auto' nor a positive number"), badRidge.err());
        Run fixedRidge = usae("eval", "-m", out.toString(), "-d", data.toString(), "--linear-ceiling", "--ceiling-ridge", "0.1");
        assertEquals(0, fixedRidge.code(), fixedRidge.err());
        assertTrue(fixedRidge.out().contains("fixed:"), fixedRidge.out());

        Run export = usae("export", "-m", out.resolve("model.usae").toString(), "-o", tmp.resolve("npy").toString());
        assertEquals(0, export.code(), export.err());
        try (NpyArray dec = Npy.openActivations(tmp.resolve("npy/beta/decoder.npy"))) {
            assertEquals(96, dec.rows());
            assertEquals(32, dec.cols());
            float[] row = new float[32];
            dec.readRow(5, row, 0);
            double norm = 0;
            for (float v : row) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-3);
        }
        assertTrue(Files.readString(tmp.resolve("npy/export.json")).contains("\"sigma\""));
        assertFalse(Files.exists(tmp.resolve("npy/usae.onnx")), "ONNX only on request");

        Run onnx = usae("export", "-m", out.resolve("model.usae").toString(), "-o", tmp.resolve("onnx").toString(),
                "--onnx");
        assertEquals(0, onnx.code(), onnx.err());
        assertTrue(Files.exists(tmp.resolve("onnx/export.json")));
        ai.onnx.proto.OnnxMl.ModelProto proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                Files.readAllBytes(tmp.resolve("onnx/usae.onnx")));
        assertEquals(3, proto.getGraph().getInputCount());
        assertTrue(proto.getGraph().getOutputList().stream().anyMatch(o -> o.getName().equals("recon_alpha_to_gamma")));

        Run saelens = usae("export", "-m", out.resolve("model.usae").toString(), "-o", tmp.resolve("sl").toString(),
                "--format", "saelens", "--check", data.toString(), "--check-rows", "500");
        assertEquals(0, saelens.code(), saelens.err());
        // SPARC's global TopK: one folder is not the USAE's forward, so the check says why it did not run
        assertTrue(saelens.out().contains("warning: GLOBAL_TOPK chooses each row's latents from the sum"), saelens.out());
        assertTrue(saelens.out().contains("--check: not run; a joint selection"), saelens.out());
        for (String m : new String[]{"alpha", "beta", "gamma"}) {
            assertTrue(Files.exists(tmp.resolve("sl/" + m + "/sae_weights.safetensors")), m);
            assertTrue(Files.readString(tmp.resolve("sl/" + m + "/cfg.json")).contains("\"architecture\" : \"topk\""), m);
        }
        assertTrue(Files.exists(tmp.resolve("sl/usae.json")));
        Run badFormat = usae("export", "-m", out.resolve("model.usae").toString(), "-o", tmp.resolve("x").toString(),
                "--format", "torch");
        assertEquals(2, badFormat.code());
        assertEquals("usae export: error: --format must be npy or saelens, got 'torch'", badFormat.err().strip());

        Run info = usae("info", "-m", out.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("holdOutFraction") && info.out().contains("gamma"), info.out());
    }

    @Test
    void aConfigFileDrivesTheTrainerAndFlagsOverrideIt(@TempDir Path tmp) throws Exception {
        Path data = plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 1000);
        Path cfg = tmp.resolve("t.xml");
        Files.writeString(cfg, """
                <config><component name="mine" type="org.tribuo.usae.train.UsaeTrainer">
                  <property name="recipe" value="FAITHFUL"/><property name="numLatents" value="64"/>
                  <property name="k" value="4"/><property name="batchSize" value="100"/>
                  <property name="steps" value="500"/></component></config>""");
        Run r = usae("train", "-c", cfg.toString(), "--trainer", "mine", "-d", data.toString(), "-o",
                tmp.resolve("o").toString(), "--steps", "12", "--hold-out", "0");
        assertEquals(0, r.code(), r.err());
        String saved = Files.readString(tmp.resolve("o/trainer-config.xml"));
        assertTrue(saved.contains("<property name=\"steps\" value=\"12\"/>"), saved);
        assertTrue(saved.contains("<property name=\"loss\" value=\"L1\"/>"), "recipe defaults are written out: " + saved);
        assertFalse(Files.exists(tmp.resolve("o/eval.json")), "no held-out rows, no evaluation");

        Run wrongName = usae("train", "-c", cfg.toString(), "-d", data.toString(), "-o", tmp.resolve("p").toString());
        assertEquals(2, wrongName.code());
        assertTrue(wrongName.err().contains("no component named 'trainer'") && wrongName.err().contains("mine"),
                wrongName.err());
    }

    @Test
    void badInputsGiveOneLineErrorsNamingTheProblem(@TempDir Path tmp) throws Exception {
        Run missing = usae("train", "-d", tmp.resolve("nope").toString(), "-o", tmp.resolve("o").toString(), "--steps", "5");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace: " + missing.err());

        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Npy.writeFloat32(bad.resolve("a.npy"), new float[20], 10, 2);
        Npy.writeFloat32(bad.resolve("b.npy"), new float[18], 9, 2);
        Run rows = usae("train", "-d", bad.toString(), "-o", tmp.resolve("o").toString(), "--steps", "5");
        assertEquals(2, rows.code());
        assertTrue(rows.err().contains("a.npy") && rows.err().contains("b.npy"), rows.err());

        Path data = plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 500);
        Run badK = usae("train", "-d", data.toString(), "-o", tmp.resolve("o").toString(), "--steps", "5",
                "--latents", "16", "-k", "17");
        assertEquals(2, badK.code());
        assertTrue(badK.err().contains("k (17)"), badK.err());
        assertFalse(Files.exists(tmp.resolve("o/model.usae")), "no output after a failed run");

        Run badRecipe = usae("train", "-d", data.toString(), "-o", tmp.resolve("o").toString(), "--recipe", "fastest");
        assertEquals(2, badRecipe.code());
        assertTrue(badRecipe.err().contains("--recipe: 'fastest' is not a recipe; expected one of aligned, faithful, sparc, "
                + "fast, affine_fast, batch_topk, matryoshka, or the path of a recipe file"), badRecipe.err());

        // a recipe file of one's own goes where a recipe name does; `usae recipes --show` prints one to copy
        Run shown = usae("recipes", "--show", "aligned");
        assertEquals(0, shown.code(), shown.err());
        Path mine = tmp.resolve("mine.xml");
        Files.writeString(mine, shown.out().replace("value=\"ALIGNED\"", "value=\"MINE\"")
                .replace("name=\"batchSize\" value=\"256\"", "name=\"batchSize\" value=\"50\""));
        Run own = usae("train", "-d", data.toString(), "-o", tmp.resolve("own").toString(), "--recipe", mine.toString(),
                "--steps", "2", "--latents", "16", "-k", "2");
        assertEquals(0, own.code(), own.err());
        Run info = usae("info", "-m", tmp.resolve("own").toString());
        assertTrue(info.out().contains("batchSize = 50") || info.out().contains("batchSize=50"), info.out());

        Run notAModel = usae("eval", "-m", bad.resolve("a.npy").toString(), "-d", data.toString());
        assertEquals(2, notAModel.code());
        assertTrue(notAModel.err().contains("a.npy"), notAModel.err());

        Run unknown = usae("frobnicate");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown command 'frobnicate'"), unknown.err());
    }

    @Test
    void benchRecoveryTabulatesEveryRecipeOnATinyBudget(@TempDir Path tmp) throws Exception {
        Path md = tmp.resolve("bench.md");
        Run bench = usae("bench", "--recovery", "--budgets", "6k", "--recipes", "FAITHFUL,SPARC,ALIGNED+learningRate=2e-3",
                "--latents", "48", "-k", "4", "--dims", "16,12,20", "--shared", "12", "--private", "2", "--active", "2",
                "--eval-rows", "300", "--set", "standardizationRows=2000", "-o", md.toString());
        assertEquals(0, bench.code(), bench.err());
        String table = Files.readString(md);
        assertTrue(table.contains("| recipe | tokens |"), table);
        for (String recipe : new String[]{"| FAITHFUL | 6k |", "| SPARC | 6k |", "| ALIGNED+learningRate=2e-3 | 6k |"}) {
            assertEquals(1, table.split(java.util.regex.Pattern.quote(recipe), -1).length - 1, recipe + " in\n" + table);
        }
        assertEquals(3 + 2, table.lines().filter(l -> l.startsWith("|")).count(), table);
        assertTrue(table.contains("m = 48, k = 4"), table);
        assertTrue(bench.out().contains("Wrote " + md), bench.out());

        Run noBenchmark = usae("bench", "--budgets", "6k");
        assertEquals(2, noBenchmark.code());
        assertTrue(noBenchmark.err().contains("--recovery"), noBenchmark.err());
        Run badBudget = usae("bench", "--recovery", "--budgets", "lots");
        assertEquals(2, badBudget.code());
        assertTrue(badBudget.err().contains("lots"), badBudget.err());
    }

    @Test
    void benchRecoveryHardSuiteTabulatesRecoveryAndLabels(@TempDir Path tmp) throws Exception {
        Path md = tmp.resolve("hard.md");
        Run bench = usae("bench", "--recovery", "--suite", "hard", "--budgets", "4k", "--recipes", "ALIGNED,SPARC",
                "--latents", "64", "-k", "4", "--dims", "16,24", "--eval-rows", "256", "--set",
                "standardizationRows=2000", "-o", md.toString());
        assertEquals(0, bench.code(), bench.err());
        String doc = Files.readString(md);
        assertTrue(doc.contains("| recipe | tokens | steps x batch | universal | parents | children | free |"), doc);
        assertTrue(doc.contains("| recipe | tokens | MCC [alpha / beta] |"), doc);
        assertTrue(doc.contains("| universal, co-firing |") && doc.contains("| universal, trace |"), doc);
        assertEquals(2 * (2 + 2), doc.lines().filter(l -> l.startsWith("|")).count(), doc);
        assertTrue(doc.contains("hard(dims=[16, 24]"), doc);
        Run badSuite = usae("bench", "--recovery", "--suite", "harder");
        assertEquals(2, badSuite.code());
        assertTrue(badSuite.err().contains("--suite: 'harder' is not basic, hard or hard-first"), badSuite.err());
        // settings by name: the first calibration with one of them changed, recorded in the output
        Path first = tmp.resolve("first.md");
        Run changed = usae("bench", "--recovery", "--suite", "hard-first", "--suite-set", "anisotropy=0.1+roots=4",
                "--budgets", "4k", "--recipes", "ALIGNED", "--latents", "64", "-k", "4", "--dims", "16,24",
                "--eval-rows", "256", "--set", "standardizationRows=2000", "-o", first.toString());
        assertEquals(0, changed.code(), changed.err());
        String firstDoc = Files.readString(first);
        assertTrue(firstDoc.contains("roots=4, children=4, free=1408, exclusive=256") && firstDoc.contains("anisotropy=0.1,"),
                firstDoc);
        Run unknown = usae("bench", "--recovery", "--suite", "hard", "--suite-set", "anisotrophy=0.1");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("hard suite setting 'anisotrophy' is unknown; expected one of dims, names"),
                unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        Run onBasic = usae("bench", "--recovery", "--suite-set", "anisotropy=0.1");
        assertEquals(2, onBasic.code());
        assertTrue(onBasic.err().contains("--suite-set changes the hard suite's settings"), onBasic.err());
    }

    @Test
    void demoRunsTheEmbeddedDefaultEndToEnd(@TempDir Path tmp) throws Exception {
        Run demo = usae("demo", "-o", tmp.toString(), "--rows", "4000", "--steps", "300");
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.out().contains("Planted concept recovery:"), demo.out());
        assertTrue(Files.exists(tmp.resolve("data/manifest.json")));
        assertTrue(Files.exists(tmp.resolve("model/model.usae")));
        assertTrue(Files.exists(tmp.resolve("export/alpha/decoder.npy")));
        // a second run over the same folder replaces the demo data instead of failing
        assertEquals(0, usae("demo", "-o", tmp.toString(), "--rows", "2000", "--steps", "20").code());
    }

    @Test
    void recipesListsTheRegistryWithTheDefaultMarked() {
        Run r = usae("recipes");
        assertEquals(0, r.code(), r.err());
        for (String name : org.tribuo.usae.train.Recipes.names()) {
            assertTrue(r.out().contains(name.toLowerCase(java.util.Locale.ROOT) + " "), name + " in " + r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("aligned") && l.endsWith("(default)")), r.out());
        Run bad = usae("recipes", "--show", "fastest");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("recipe 'fastest' is neither a built-in recipe"), bad.err());
    }
}
