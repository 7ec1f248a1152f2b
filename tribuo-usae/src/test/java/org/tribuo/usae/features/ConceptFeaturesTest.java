package org.tribuo.usae.features;

import org.tribuo.usae.metrics.labels.Pooling;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.DistanceType;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.MultiLabelFactory;
import org.tribuo.multilabel.sgd.linear.LinearSGDTrainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.train.ConfiguredTrainers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concept features under Tribuo: the encoding is the USAE's code, outputs survive for every output type, the trained
 * model encodes new examples itself and survives its file, its provenance carries the USAE's and the source data's,
 * and a classifier trained on one network's concepts classifies another network's (the shared dictionary).
 */
class ConceptFeaturesTest {
    static final int ROWS = 3000;
    static PlantedData planted;
    static UsaeModel usae;
    @TempDir
    static Path tmp;
    static Path usaeFile;

    @BeforeAll
    static void trainUsae() {
        planted = PlantedConcepts.generate(PlantedOptions.demo());
        InMemoryActivationSet set = new InMemoryActivationSet(List.of(planted.names()), planted.dims(), planted.x());
        usae = ConfiguredTrainers.of(Map.of("steps", "300", "numLatents", "64", "k", "4", "batchSize", "256",
                "holdOutFraction", "0.2", "seed", "3")).train(set);
        usaeFile = tmp.resolve("usae.usae");
        ModelFiles.save(usae, usaeFile);
    }

    /** Rows [from, to) of one model as Label examples (the row's strongest shared concept). */
    static MutableDataset<Label> labelled(int model, int from, int to) {
        LabelFactory f = new LabelFactory();
        List<Example<Label>> list = new ArrayList<>();
        for (int r = from; r < to; r++) {
            list.add(row(model, r, f.generateOutput("c" + planted.strongestShared()[r])));
        }
        return new MutableDataset<>(new ListDataSource<>(list, f, new SimpleDataSourceProvenance("planted " + planted.names()[model], f)));
    }

    static <T extends org.tribuo.Output<T>> Example<T> row(int model, int r, T output) {
        ArrayExample<T> e = new ArrayExample<>(output);
        float[] x = planted.row(model, r);
        for (int c = 0; c < x.length; c++) {
            e.add(new Feature(UsaeModel.featureName(planted.names()[model], c), x[c]));
        }
        return e;
    }

    @Test
    void encodingIsTheUsaesCodeAndPoolsTokens() {
        ConceptEncoder max = new ConceptEncoder(usae, "beta", Pooling.MAX);
        ConceptEncoder mean = new ConceptEncoder(usae, "beta", Pooling.MEAN);
        Example<Label> one = row(1, 7, new Label("x"));
        SparseCodes codes = usae.encode(1, planted.row(1, 7), 1);
        Example<Label> enc = max.encode(one);
        assertEquals(new Label("x"), enc.getOutput());
        int active = 0;
        for (int s = 0; s < codes.k(); s++) {
            if (codes.values()[s] != 0) {
                active++;
                assertEquals(codes.values()[s], enc.lookup(ConceptEncoder.featureName(codes.indices()[s])).getValue(), 0.0);
            }
        }
        assertEquals(active, enc.size());
        // an input of two tokens: features beta:<t>:<i>
        ArrayExample<Label> two = new ArrayExample<>(new Label("y"), 2.5f, Map.of("id", "input-9"));
        float[] raw = new float[2 * 32];
        for (int t = 0; t < 2; t++) {
            float[] x = planted.row(1, 20 + t);
            System.arraycopy(x, 0, raw, t * 32, 32);
            for (int c = 0; c < 32; c++) {
                two.add(new Feature("beta:" + t + ":" + c, x[c]));
            }
        }
        float[] dense = usae.encode(1, raw, 2).toDense(64);
        Example<Label> pooledMax = max.encode(two);
        Example<Label> pooledMean = mean.encode(two);
        assertEquals(2.5f, pooledMax.getWeight());
        assertEquals("input-9", pooledMax.getMetadataValue("id").orElseThrow());
        for (int j = 0; j < 64; j++) {
            double mx = Math.max(dense[j], dense[64 + j]);
            double mn = (dense[j] + dense[64 + j]) / 2.0;
            Feature fMax = pooledMax.lookup(ConceptEncoder.featureName(j));
            Feature fMean = pooledMean.lookup(ConceptEncoder.featureName(j));
            assertEquals(mx, fMax == null ? 0 : fMax.getValue(), 1e-6);
            assertEquals(mn, fMean == null ? 0 : fMean.getValue(), 1e-6);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> max.encode(row(0, 1, new Label("z"))));
        assertTrue(e.getMessage().startsWith("The example has no feature <beta>:<index>"), e.getMessage());
    }

    @Test
    void aClassifierOnConceptsPredictsNewExamplesAndCarriesTheChain() throws Exception {
        MutableDataset<Label> train = labelled(0, 0, ROWS);
        ConceptFeatureTrainer<Label> trainer = new ConceptFeatureTrainer<>(new LogisticRegressionTrainer(), usaeFile,
                "alpha", Pooling.MAX);
        ConceptFeatureModel<Label> model = trainer.train(train);
        MutableDataset<Label> test = labelled(0, ROWS, ROWS + 1000);
        double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
        assertTrue(accuracy > 0.5, "accuracy on held-out rows " + accuracy);
        // new examples are encoded by the model itself, exactly as the inner model sees them
        Example<Label> fresh = test.getExample(3);
        assertEquals(model.innerModel().predict(model.encoder().encode(fresh)).getOutput(), model.predict(fresh).getOutput());
        // the provenance chain: classifier trainer -> this trainer -> concept dataset -> (source data, USAE provenance)
        ModelProvenance p = model.getProvenance();
        ConceptFeaturesProvenance source = assertInstanceOf(ConceptFeaturesProvenance.class,
                p.getDatasetProvenance().getSourceProvenance());
        assertEquals(train.getProvenance(), source.source());
        assertEquals(usae.getProvenance(), source.usae());
        String text = ProvenanceUtil.formattedProvenanceString(p);
        for (String s : List.of("LogisticRegressionTrainer", "ConceptFeatureTrainer", "planted alpha", "UsaeTrainer",
                "usae.usae")) {
            assertTrue(text.contains(s), s + " in\n" + text);
        }
        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(p);
        assertEquals(p, ProvenanceUtil.unmarshalProvenance(marshalled));
        // the configuration in the provenance re-creates the trainer, which re-trains the same model
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(p));
        @SuppressWarnings("unchecked")
        ConceptFeatureTrainer<Label> again = (ConceptFeatureTrainer<Label>) cm.lookup(
                cm.getComponentNames().stream().filter(n -> n.startsWith("conceptfeaturetrainer")).findFirst().orElseThrow());
        ConceptFeatureModel<Label> retrained = again.train(train);
        for (int i = 0; i < 50; i++) {
            Example<Label> ex = test.getExample(i);
            assertEquals(model.predict(ex).getOutput(), retrained.predict(ex).getOutput());
        }
        // and the model file holds the USAE with the classifier
        Model<?> back = Model.deserialize(model.serialize());
        ConceptFeatureModel<?> b = assertInstanceOf(ConceptFeatureModel.class, back);
        assertEquals(p, b.getProvenance());
        @SuppressWarnings("unchecked")
        ConceptFeatureModel<Label> bl = (ConceptFeatureModel<Label>) b;
        for (int i = 0; i < 50; i++) {
            Prediction<Label> a = model.predict(test.getExample(i));
            assertEquals(a.getOutput(), bl.predict(test.getExample(i)).getOutput());
            assertEquals(a.getOutput().getScore(), bl.predict(test.getExample(i)).getOutput().getScore(), 1e-12);
        }
    }

    /** The shared dictionary: trained on alpha's concepts, the classifier reads gamma's concepts of other rows. */
    @Test
    void aClassifierOnOneNetworksConceptsReadsAnothers() {
        ConceptFeatureModel<Label> onAlpha = new ConceptFeatureTrainer<>(new LogisticRegressionTrainer(), usaeFile, "alpha",
                Pooling.MAX).train(labelled(0, 0, ROWS));
        ConceptFeatureModel<Label> onGamma = new ConceptFeatureTrainer<>(new LogisticRegressionTrainer(), usaeFile, "gamma",
                Pooling.MAX).train(labelled(2, 0, ROWS));
        ConceptEncoder gamma = new ConceptEncoder(usae, "gamma", Pooling.MAX);
        Dataset<Label> gammaTest = gamma.encode(labelled(2, ROWS, ROWS + 1000));
        double transfer = new LabelEvaluator().evaluate(onAlpha.innerModel(), gammaTest).accuracy();
        double direct = new LabelEvaluator().evaluate(onGamma.innerModel(), gammaTest).accuracy();
        assertTrue(transfer > 0.8 * direct && transfer > 0.4, "transfer " + transfer + ", direct " + direct);
    }

    @Test
    void everyOutputTypeSurvivesTheEncoding() {
        RegressionFactory rf = new RegressionFactory();
        MultiLabelFactory mf = new MultiLabelFactory();
        ClusteringFactory cf = new ClusteringFactory();
        List<Example<Regressor>> reg = new ArrayList<>();
        List<Example<MultiLabel>> multi = new ArrayList<>();
        List<Example<ClusterID>> clusters = new ArrayList<>();
        for (int r = 0; r < 600; r++) {
            int c = planted.strongestShared()[r];
            reg.add(row(1, r, new Regressor("strength", c / 8.0)));
            multi.add(row(1, r, mf.generateOutput(Set.of("c" + c % 3, "d" + c % 2))));
            clusters.add(row(1, r, ClusteringFactory.UNASSIGNED_CLUSTER_ID));
        }
        Dataset<Regressor> rd = new MutableDataset<>(new ListDataSource<>(reg, rf, new SimpleDataSourceProvenance("r", rf)));
        Dataset<MultiLabel> md = new MutableDataset<>(new ListDataSource<>(multi, mf, new SimpleDataSourceProvenance("m", mf)));
        Dataset<ClusterID> kd = new MutableDataset<>(new ListDataSource<>(clusters, cf, new SimpleDataSourceProvenance("k", cf)));
        ConceptEncoder beta = new ConceptEncoder(usae, "beta", Pooling.MEAN);
        MutableDataset<Regressor> re = beta.encode(rd);
        for (int i = 0; i < re.size(); i++) {
            assertEquals(rd.getExample(i).getOutput(), re.getExample(i).getOutput());
        }
        assertEquals(md.getExample(5).getOutput(), beta.encode(md).getExample(5).getOutput());
        Model<Regressor> regModel = new ConceptFeatureTrainer<>(new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                new org.tribuo.regression.sgd.objectives.SquaredLoss(), new org.tribuo.math.optimisers.AdaGrad(0.1), 5, 1L),
                usaeFile, "beta", Pooling.MEAN).train(rd);
        assertTrue(Double.isFinite(regModel.predict(rd.getExample(0)).getOutput().getValues()[0]));
        Model<MultiLabel> mlModel = new ConceptFeatureTrainer<>(new LinearSGDTrainer(
                new org.tribuo.multilabel.sgd.objectives.BinaryCrossEntropy(), new org.tribuo.math.optimisers.AdaGrad(0.1), 5, 1L),
                usaeFile, "beta", Pooling.MAX).train(md);
        assertTrue(mlModel.predict(md.getExample(0)).getOutput() != null);
        Model<ClusterID> km = new ConceptFeatureTrainer<>(new KMeansTrainer(4, 10, DistanceType.L2.getDistance(),
                KMeansTrainer.Initialisation.PLUSPLUS, 1, 1L), usaeFile, "beta", Pooling.MAX).train(kd);
        assertTrue(km.predict(kd.getExample(0)).getOutput().getID() >= 0);
    }
}
