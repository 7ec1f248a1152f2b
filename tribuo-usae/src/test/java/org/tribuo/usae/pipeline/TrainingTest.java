package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.NpyWriter;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.train.StopSignal;
import org.tribuo.usae.train.TrainingStoppedException;
import org.tribuo.usae.train.UsaeTrainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training job as a library call: outputs all or nothing, earlier runs refused, stops checkpointed, errors. */
class TrainingTest {
    private static final Map<String, String> SMALL = Map.of("steps", "12", "numLatents", "32", "k", "4",
            "batchSize", "128", "holdOutFraction", "0.2", "seed", "5", "checkpointEverySteps", "5");

    /** The planted demo set as a folder of {@code <model>.npy} files. */
    private static Path writeSet(Path dir) {
        var set = TrainedPlanted.SET;
        long[] ids = java.util.stream.LongStream.range(0, set.rows()).toArray();
        for (int i = 0; i < set.numModels(); i++) {
            int d = set.dim(i);
            float[] rows = new float[(int) set.rows() * d];
            set.readRows(i, ids, rows);
            try (NpyWriter w = NpyWriter.float32(dir.resolve(set.modelNames().get(i) + ".npy"), d)) {
                w.writeRows(rows, 0, (int) set.rows());
            }
        }
        return dir;
    }

    private static UsaeTrainer trainer(Map<String, String> overrides) {
        return Training.trainer(new ConfigurationManager(), "trainer", new HashMap<>(overrides));
    }

    private static TrainingOptions options(Path data, Path output) {
        TrainingOptions opts = new TrainingOptions();
        opts.data = data;
        opts.output = output;
        return opts;
    }

    @Test
    void writesEveryOutputAndRefusesToTrainOverThem(@TempDir Path tmp) throws Exception {
        Path data = writeSet(Files.createDirectories(tmp.resolve("set")));
        Path out = tmp.resolve("run");
        TrainingResult r = Training.run(trainer(SMALL), options(data, out), new StopSignal(), TrainedPlanted.quiet());
        assertEquals(Training.OUTPUT_FILES.stream().map(out::resolve).toList(), r.files());
        for (Path p : r.files()) {
            assertTrue(Files.size(p) > 0, p + " is empty");
        }
        assertNotNull(r.evaluation());
        assertEquals(Math.round(TrainedPlanted.SET.rows() * 0.2), r.heldOut());
        UsaeModel loaded = ModelFiles.load(out.resolve("model.usae"));
        float[] x = new float[TrainedPlanted.SET.dim(0) * 3];
        TrainedPlanted.SET.readRows(0, new long[]{0, 1, 2}, x);
        assertArrayEquals(r.model().encode(0, x, 3).values(), loaded.encode(0, x, 3).values());
        // the written trainer configuration re-creates the trainer
        assertTrue(Files.readString(out.resolve("trainer-config.xml")).contains(UsaeTrainer.class.getName()));

        // its checkpoints are there too, so the trainer's refusal names them (CheckpointException)
        RuntimeException again = assertThrows(org.tribuo.usae.train.CheckpointException.class,
                () -> Training.run(trainer(SMALL), options(data, out), new StopSignal(), TrainedPlanted.quiet()));
        assertTrue(again.getMessage().contains("checkpoints of this same run"), again.getMessage());
        // without them, the job's own refusal names the outputs
        for (Path p : Files.list(out.resolve("checkpoints")).toList()) {
            Files.delete(p);
        }
        IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class,
                () -> Training.run(trainer(SMALL), options(data, out), new StopSignal(), TrainedPlanted.quiet()));
        assertTrue(outputs.getMessage().contains("holds the outputs of an earlier run (model.usae, trainer-config.xml, "
                + "eval.json, eval.txt)"), outputs.getMessage());

        TrainingOptions overwrite = options(data, out);
        overwrite.overwrite = true;
        TrainingResult second = Training.run(trainer(SMALL), overwrite, new StopSignal(), TrainedPlanted.quiet());
        // same trainer, same seed, same data: the same model
        assertArrayEquals(r.model().encode(0, x, 3).values(), second.model().encode(0, x, 3).values());
    }

    @Test
    void aStopRequestLeavesACheckpointAndNoOutputs(@TempDir Path tmp) throws Exception {
        Path data = writeSet(Files.createDirectories(tmp.resolve("set")));
        Path out = tmp.resolve("run");
        StopSignal stop = new StopSignal();
        stop.request();
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                () -> Training.run(trainer(SMALL), options(data, out), stop, TrainedPlanted.quiet()));
        assertTrue(Files.isRegularFile(e.checkpoint()), e.checkpoint().toString());
        for (String name : Training.OUTPUT_FILES) {
            assertFalse(Files.exists(out.resolve(name)), name + " written by a stopped run");
        }
        // resuming finishes the run
        TrainingOptions resume = options(data, out);
        resume.resume = out;
        TrainingResult r = Training.run(trainer(SMALL), resume, new StopSignal(), TrainedPlanted.quiet());
        assertEquals(Training.OUTPUT_FILES.size(), r.files().size());
    }

    @Test
    void badOptionsFailInOneLineBeforeTheDataAreRead(@TempDir Path tmp) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Training.run(trainer(SMALL), new TrainingOptions(), new StopSignal(), TrainedPlanted.quiet()));
        assertEquals("--data and --output are required (see usae train --help)", missing.getMessage());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        // the data folder does not exist, but the output is checked first
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> Training.run(trainer(SMALL), options(tmp.resolve("nowhere"), file), new StopSignal(),
                        TrainedPlanted.quiet()));
        assertTrue(output.getMessage().startsWith("--output"), output.getMessage());
        IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
                () -> trainer(Map.of("numLatent", "8")));
        assertTrue(option.getMessage().contains("numLatent"), option.getMessage());
        assertTrue(option.getMessage().contains("numLatents"), "the message lists the known options: " + option.getMessage());
        IllegalArgumentException component = assertThrows(IllegalArgumentException.class,
                () -> Training.trainer(configWith("other"), "trainer", new HashMap<>()));
        assertTrue(component.getMessage().contains("no component named 'trainer'"), component.getMessage());
    }

    private static ConfigurationManager configWith(String name) {
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(new com.oracle.labs.mlrg.olcut.config.ConfigurationData(name, UsaeTrainer.class.getName()));
        return cm;
    }
}
