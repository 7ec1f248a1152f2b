package org.tribuo.usae.examples;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.usae.features.ConceptFeatureModel;
import org.tribuo.usae.features.ConceptFeatureTrainer;
import org.tribuo.usae.features.ConceptFeaturesProvenance;
import org.tribuo.usae.metrics.labels.Pooling;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.PlantedData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Concept codes as features for an ordinary Tribuo classifier: a dataset of one network's activations, labelled,
 * goes through {@link ConceptFeatureTrainer} wrapping Tribuo's {@code LogisticRegressionTrainer}. The model it returns
 * encodes new examples itself, and its provenance carries the chain: the classifier's trainer, the USAE (its own
 * trainer and training data) and the labelled dataset.
 *
 * <p>{@code ./usae example features <model.usae>} (a model trained on the planted demo models, e.g. by the train example)
 */
public final class ConceptFeaturesExample {
    private ConceptFeaturesExample() {
    }

    /** @param args the USAE model file. */
    public static void main(String[] args) {
        Path usaeFile = Path.of(args[0]);
        PlantedData d = SmallData.planted(4000);
        String model = d.names()[0];
        MutableDataset<Label> train = labelled(d, model, 0, 3000);
        MutableDataset<Label> test = labelled(d, model, 3000, 4000);

        ConceptFeatureTrainer<Label> trainer = new ConceptFeatureTrainer<>(new LogisticRegressionTrainer(), usaeFile,
                model, Pooling.MAX);
        ConceptFeatureModel<Label> classifier = trainer.train(train);
        double accuracy = new LabelEvaluator().evaluate(classifier, test).accuracy();
        System.out.printf("Logistic regression on %s's concept features: held-out accuracy %.3f (%d labels)%n", model,
                accuracy, train.getOutputInfo().size());

        ConceptFeaturesProvenance chain = (ConceptFeaturesProvenance) classifier.getProvenance().getDatasetProvenance()
                .getSourceProvenance();
        System.out.println("Classifier trainer: " + classifier.getProvenance().getTrainerProvenance().getClassName());
        System.out.println("USAE trainer:       " + chain.usae().getTrainerProvenance().getClassName());
        System.out.println("USAE trained on:    " + chain.usae().getDatasetProvenance().getSourceProvenance().getClassName());
        System.out.println("Labelled data:      " + chain.source());
        System.out.println("The whole provenance (" + ProvenanceUtil.formattedProvenanceString(classifier.getProvenance())
                .lines().count() + " lines) is in the classifier's ModelProvenance.");
    }

    /** Rows [from, to) of one model, labelled by the row's strongest shared concept. */
    static MutableDataset<Label> labelled(PlantedData d, String model, int from, int to) {
        LabelFactory factory = new LabelFactory();
        int i = java.util.Arrays.asList(d.names()).indexOf(model);
        List<Example<Label>> list = new ArrayList<>();
        for (int r = from; r < to; r++) {
            ArrayExample<Label> e = new ArrayExample<>(new Label("concept-" + d.strongestShared()[r]));
            float[] x = d.row(i, r);
            for (int c = 0; c < x.length; c++) {
                e.add(new Feature(UsaeModel.featureName(model, c), x[c]));
            }
            list.add(e);
        }
        return new MutableDataset<>(new ListDataSource<>(list, factory,
                new SimpleDataSourceProvenance("planted " + model + " rows " + from + "-" + to, factory)));
    }
}
