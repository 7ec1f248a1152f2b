package org.tribuo.usae.examples;

import org.tribuo.usae.data.Npy;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.train.Recipes;
import org.tribuo.usae.train.UsaeTrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The examples' small data and trainer: the demo's planted concepts (three models of widths 48, 32, 64). */
final class SmallData {
    private SmallData() {
    }

    /** @param rows rows. @return planted activations of three models, and the strongest shared concept per row. */
    static PlantedData planted(int rows) {
        return PlantedConcepts.generate(PlantedOptions.demo().withRows(rows));
    }

    /**
     * Writes one {@code <model>.npy} per model (float32 {@code [rows x d]}), the plainest activation set.
     * @param folder the folder (created).
     * @param rows   rows.
     * @return the folder.
     */
    static Path npyFolder(Path folder, int rows) throws IOException {
        Files.createDirectories(folder);
        PlantedData d = planted(rows);
        for (int i = 0; i < d.numModels(); i++) {
            Npy.writeFloat32(folder.resolve(d.names()[i] + ".npy"), d.x()[i], d.rows(), d.dims()[i]);
        }
        return folder;
    }

    /**
     * @param steps training steps.
     * @return the default recipe at k 4 and batch 256, seed 1: a recipe is derived in code by name and type.
     */
    static UsaeTrainer trainer(long steps) {
        return new UsaeTrainer(Recipes.get("ALIGNED").derive("ALIGNED_SMALL", "ALIGNED at k 4, batch 256")
                .k(4).batchSize(256).build(), steps, 1L);
    }
}
