package org.tribuo.usae.examples;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.ActivationSets;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.model.ConceptActivations;
import org.tribuo.usae.model.ConceptActivationsFactory;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.train.UsaeTrainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a USAE twice on the same activations: from a folder of {@code .npy} files (the fast path, float32 rows
 * streamed from disk) and from a Tribuo {@code Dataset} whose features are named {@code <model>:<index>}. Both give
 * the same model; it is saved and evaluated on held-out rows.
 *
 * <p>{@code ./usae example train <output folder> [steps]}
 */
public final class TrainExample {
    private TrainExample() {
    }

    /** @param args output folder, and optionally the steps (default 300). */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 300;
        int rows = 4000;

        // 1. From .npy files: <model>.npy per model, float32 [rows x d].
        Path npy = SmallData.npyFolder(out.resolve("acts"), rows);
        UsaeModel fromNpy;
        try (ActivationSet set = ActivationSets.open(npy)) {
            fromNpy = SmallData.trainer(steps).train(set);
            EvaluationReport heldOut = ModelEvaluation.evaluate(fromNpy, set, rows - 400, rows, 400);
            System.out.printf("Held-out R2 (official): self %.3f, cross %.3f%n", heldOut.r2().selfMean(R2Kind.OFFICIAL),
                    heldOut.r2().crossMean(R2Kind.OFFICIAL));
        }
        ModelFiles.save(fromNpy, out.resolve("model.usae"));

        // 2. From a Tribuo Dataset: one example per token, features <model>:<index>, the output unknown.
        PlantedData d = SmallData.planted(rows);
        ConceptActivationsFactory factory = new ConceptActivationsFactory();
        List<Example<ConceptActivations>> examples = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            ArrayExample<ConceptActivations> e = new ArrayExample<>(factory.getUnknownOutput());
            for (int i = 0; i < d.numModels(); i++) {
                float[] x = d.row(i, r);
                for (int c = 0; c < x.length; c++) {
                    e.add(new Feature(UsaeModel.featureName(d.names()[i], c), x[c]));
                }
            }
            examples.add(e);
        }
        MutableDataset<ConceptActivations> dataset = new MutableDataset<>(new ListDataSource<>(examples, factory,
                new SimpleDataSourceProvenance("planted demo rows", factory)));
        UsaeTrainer trainer = SmallData.trainer(steps);
        UsaeModel fromDataset = trainer.train(dataset);

        boolean same = java.util.Arrays.equals(fromNpy.parameters().model(0).dictionary(),
                fromDataset.parameters().model(0).dictionary());
        System.out.println("Trained from .npy and from a Tribuo Dataset: same dictionary: " + same);
        System.out.println("Saved " + out.resolve("model.usae") + " (" + fromNpy + ")");
    }
}
