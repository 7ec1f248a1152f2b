package org.tribuo.usae.features;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.labels.LabelTable;
import org.tribuo.usae.metrics.labels.Pooling;
import org.tribuo.usae.model.UsaeModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Cross-model transfer through concepts: a classifier trained on network A's concept features of some inputs
 * (a split stratified by label),
 * evaluated on network B's concept features of other inputs. The shared dictionary makes the features the same, so
 * the off-diagonal accuracies say how much of what a classifier learns from one network's concepts holds in
 * another's; the diagonal is training on B directly. Each input is one Tribuo example (its tokens as
 * {@code <model>:<t>:<i>} features, encoded and pooled by {@link ConceptEncoder}), labelled by the set's
 * {@code labels.npy}.
 */
public final class ConceptTransfer {
    private ConceptTransfer() {
    }

    /**
     * @param models     the USAE's models, in order.
     * @param accuracy   {@code [train model][test model]} held-out accuracy.
     * @param trainInputs labelled inputs trained on.
     * @param testInputs  labelled inputs tested on.
     * @param classes    labels.
     * @param majority   the most frequent test label's share (the accuracy of always guessing it).
     */
    public record Result(List<String> models, double[][] accuracy, int trainInputs, int testInputs, int classes,
                         double majority) {
        /** @return the matrix as text, rows = trained on, columns = tested on. */
        public String table() {
            int w = Math.max(8, models.stream().mapToInt(String::length).max().orElse(8));
            String name = "%-" + Math.max(10, w) + "s";
            String cell = " %" + w + "s";
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, name, "train\\test"));
            for (String m : models) {
                sb.append(String.format(java.util.Locale.ROOT, cell, m));
            }
            sb.append('\n');
            for (int a = 0; a < models.size(); a++) {
                sb.append(String.format(java.util.Locale.ROOT, name, models.get(a)));
                for (int b = 0; b < models.size(); b++) {
                    sb.append(String.format(java.util.Locale.ROOT, cell, String.format(java.util.Locale.ROOT, "%.3f",
                            accuracy[a][b])));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /**
     * @param usae          the USAE.
     * @param set           activations of its models, in model order, with a row index (input id per row).
     * @param labels        one label per input.
     * @param pooling       how an input's tokens pool.
     * @param trainFraction the share of labelled inputs trained on (the rest are tested on).
     * @param seed          the split's seed.
     * @param trainer       the classifier trainer (e.g. {@code LogisticRegressionTrainer}).
     * @return the accuracy matrix.
     */
    public static Result run(UsaeModel usae, ActivationSet set, LabelTable labels, Pooling pooling, double trainFraction,
                             long seed, Trainer<Label> trainer) {
        RowIndex index = set.rowIndex().orElseThrow(() -> new IllegalArgumentException(
                "The activation set has no row index (row_index.npy): inputs cannot be told apart"));
        Map<Long, List<Long>> rowsOf = new LinkedHashMap<>();
        for (long r = 0; r < set.rows(); r++) {
            long input = index.inputId(r);
            if (labels.isLabelled(input) && labels.labelsOf(input).length == 1) {
                rowsOf.computeIfAbsent(input, k -> new ArrayList<>()).add(r);
            }
        }
        // stratified: every label tested on was trained on (a classifier knows only the labels it saw)
        Map<Integer, List<Long>> byLabel = new java.util.TreeMap<>();
        for (long input : rowsOf.keySet()) {
            byLabel.computeIfAbsent(labels.labelsOf(input)[0], k -> new ArrayList<>()).add(input);
        }
        Random rng = new Random(seed);
        List<Long> train = new ArrayList<>();
        List<Long> test = new ArrayList<>();
        for (List<Long> members : byLabel.values()) {
            java.util.Collections.shuffle(members, rng);
            int n = members.size() < 2 ? members.size()
                    : Math.max(1, Math.min(members.size() - 1, (int) Math.round(members.size() * trainFraction)));
            train.addAll(members.subList(0, n));
            test.addAll(members.subList(n, members.size()));
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("A train fraction of " + trainFraction + " of " + rowsOf.size()
                    + " labelled inputs leaves no train or no test input");
        }
        int numModels = usae.parameters().numModels();
        List<MutableDataset<Label>> trainSets = new ArrayList<>();
        List<MutableDataset<Label>> testSets = new ArrayList<>();
        for (int i = 0; i < numModels; i++) {
            ConceptEncoder encoder = new ConceptEncoder(usae, usae.modelNames().get(i), pooling);
            trainSets.add(encode(encoder, set, i, train, rowsOf, labels));
            testSets.add(encode(encoder, set, i, test, rowsOf, labels));
        }
        double[][] accuracy = new double[numModels][numModels];
        LabelEvaluator evaluator = new LabelEvaluator();
        for (int a = 0; a < numModels; a++) {
            Model<Label> classifier = trainer.train(trainSets.get(a));
            for (int b = 0; b < numModels; b++) {
                accuracy[a][b] = evaluator.evaluate(classifier, testSets.get(b)).accuracy();
            }
        }
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (long input : test) {
            counts.merge(labels.labelsOf(input)[0], 1, Integer::sum);
        }
        double majority = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) test.size();
        return new Result(usae.modelNames(), accuracy, train.size(), test.size(), labels.numLabels(), majority);
    }

    /** One example per input: its tokens as {@code <model>:<t>:<i>}, encoded at once and then dropped. */
    private static MutableDataset<Label> encode(ConceptEncoder encoder, ActivationSet set, int model, List<Long> inputs,
                                                Map<Long, List<Long>> rowsOf, LabelTable labels) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> out = new MutableDataset<>(new ConceptFeaturesProvenance(set.provenance(),
                encoder.usae().getProvenance(), encoder.modelName(), encoder.pooling()), factory);
        int d = set.dim(model);
        String name = encoder.modelName();
        for (long input : inputs) {
            List<Long> rows = rowsOf.get(input);
            long[] ids = rows.stream().mapToLong(Long::longValue).toArray();
            float[] x = new float[ids.length * d];
            set.readRows(model, ids, x);
            String[] names = new String[ids.length * d];
            double[] values = new double[names.length];
            for (int t = 0; t < ids.length; t++) {
                for (int c = 0; c < d; c++) {
                    names[t * d + c] = name + ":" + t + ":" + c;
                    values[t * d + c] = x[t * d + c];
                }
            }
            // the bulk constructor sorts once; add() would sort after every feature
            ArrayExample<Label> raw = new ArrayExample<>(factory.generateOutput(labels.name(labels.labelsOf(input)[0])),
                    names, values);
            Example<Label> concepts = encoder.encode(raw);
            out.add(concepts);
        }
        return out;
    }
}
