package org.tribuo.usae.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.onnx.vision.AptCache;
import org.tribuo.usae.onnx.vision.TuxpaintStamps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tribuo.usae.cli.UsaeCliTest.Run;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

/**
 * {@code usae vision} end to end on a few real stamps, tiny settings: the three converted networks,
 * foreground extraction, training, evaluation, MACO and the report. It needs npm (the networks) and
 * the stamps: it runs where the stamps are already in the apt cache, or with
 * {@code -Dusae.vision.fetch=true} (a 161 MB download), and is skipped otherwise.
 */
class VisionCommandTest {
    @Test
    void theEmbeddedTrainersConfigureTheTunedDefaultAndThePlainBudget() {
        // runs everywhere (CI has no stamps): a typo in the XML fails here, not after a 40 s extraction
        var cm = new com.oracle.labs.mlrg.olcut.config.ConfigurationManager(VisionCommand.class.getResource(VisionCommand.TRAINER));
        var tuned = org.tribuo.usae.pipeline.Training.trainer(cm, "vision-trainer", new java.util.HashMap<>()).settingsFor(new int[]{1280, 2048, 1792}, 12_677);
        assertEquals(org.tribuo.usae.sae.SparsityKind.GLOBAL_TOPK, tuned.architecture().sparsity());
        assertEquals(16, tuned.architecture().k());
        assertEquals(50, tuned.objective().deadSteps());
        assertEquals(1e-3, tuned.learningRate());
        // --recipe ALIGNED: its own per-model TopK and learning rate, the same budget
        var budget = org.tribuo.usae.pipeline.Training.trainer(cm, "vision-budget", new java.util.HashMap<>(java.util.Map.of("recipe", "ALIGNED")))
                .settingsFor(new int[]{1280, 2048, 1792}, 12_677);
        assertEquals(org.tribuo.usae.sae.SparsityKind.TOPK, budget.architecture().sparsity());
        assertEquals(3e-3, budget.learningRate());
        assertEquals(16, budget.architecture().k());
        assertEquals(600, budget.steps());
    }

    @Test
    void theVisionJobRunsEndToEndOnAFewStamps(@TempDir Path tmp) throws Exception {
        boolean cached = Files.isDirectory(AptCache.defaultFolder().resolve(TuxpaintStamps.PACKAGE.folderName()));
        Assumptions.assumeTrue(cached || Boolean.getBoolean("usae.vision.fetch"),
                "the Tux Paint stamps are not cached (run with -Dusae.vision.fetch=true to fetch them)");
        Path out = tmp.resolve("vision");
        Run r = usae("vision", "-o", out.toString(), "--images", "16", "--steps", "30", "--latents", "64", "-k", "4",
                "--maco-concepts", "1", "--maco-steps", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Extracted"), r.out());
        for (String f : new String[]{"model/model.usae", "model/eval.json", "model/report.html", "model/analysis.json",
                "data/coco_ssd.npy", "data/inception_v3.npy", "data/mobilenet_v2_140.npy", "data/label_hierarchy.tsv",
                "vision-extraction.xml", "maco/visualize.html"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " is missing; output:\n" + r.out());
        }
        try (Stream<Path> pngs = Files.walk(out.resolve("maco"))) {
            assertEquals(3, pngs.filter(p -> p.getFileName().toString().matches("(coco_ssd|inception_v3|mobilenet_v2_140)\\.png"))
                    .count(), "one MACO image per network");
        }
        String html = Files.readString(out.resolve("model/report.html"));
        assertTrue(html.contains("coco_ssd") && html.contains("inception_v3") && html.contains("mobilenet_v2_140"));
    }
}
