package org.tribuo.usae.metrics.labels;

import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.model.UsaeModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Runs every label metric for one model on rows of an activation set. */
public final class LabelAnalysis {
    private LabelAnalysis() {
    }

    /**
     * @param model     the model; stream s = model s encoding its own activations.
     * @param set       the activations; with a RowIndex, rows are pooled per input id.
     * @param from      first row (inclusive).
     * @param to        last row (exclusive).
     * @param batchSize rows per encode batch.
     * @param labels    labels of the input ids (row ids when the set has no RowIndex).
     * @param hierarchy the label tree; empty = flat labels (depths 0 and 1).
     * @param options   settings.
     * @return the result.
     */
    public static LabelAnalysisResult run(UsaeModel model, ActivationSet set, long from, long to, int batchSize,
                                          LabelTable labels, Optional<LabelHierarchy> hierarchy,
                                          LabelAnalysisOptions options) {
        InputCodes[] pooled = InputPooling.pool(model, set, from, to, batchSize, options.pooling());
        return analyse(model.modelNames(), Arrays.asList(pooled), labels, hierarchy, options);
    }

    /**
     * The metrics on already pooled codes (what {@link #run} does after pooling).
     *
     * @param names     stream names.
     * @param streams   per stream its per-input codes.
     * @param labels    labels of the input ids.
     * @param hierarchy the label tree; empty = flat.
     * @param options   settings.
     * @return the result.
     */
    public static LabelAnalysisResult analyse(List<String> names, List<InputCodes> streams, LabelTable labels,
                                              Optional<LabelHierarchy> hierarchy, LabelAnalysisOptions options) {
        LabelInputs.requireSameInputs(names, streams);
        InputCodes first = streams.get(0);
        boolean[] keep = LabelInputs.labelled(first, labels);
        int labelled = 0;
        for (boolean k : keep) {
            labelled += k ? 1 : 0;
        }
        if (labelled == 0) {
            throw new IllegalArgumentException("none of the " + first.inputs() + " inputs has a label: check that the"
                    + " labels belong to this activation set and rows");
        }
        LabelHierarchy tree = hierarchy.orElseGet(() -> LabelHierarchy.flat(labels.names()));
        List<InputCodes> kept = new ArrayList<>();
        for (InputCodes c : streams) {
            kept.add(c.restrict(keep));
        }
        ConceptAlignment.Result alignment = ConceptAlignment.compute(names, kept, labels, tree);
        List<LinearProbe1D.StreamResult> probes = new ArrayList<>();
        for (int s = 0; s < kept.size(); s++) {
            probes.add(LinearProbe1D.probe(names.get(s), kept.get(s), labels, options.probe()));
        }
        LabelPurity.Result purity = LabelPurity.compute(names, kept, labels, options.purity());
        return new LabelAnalysisResult(List.copyOf(names), options.pooling(),
                hierarchy.isPresent() ? "tree with root '" + tree.root() + "', max depth " + tree.maxDepth() : "flat",
                first.inputs(), labelled, first.numLatents(), alignment, List.copyOf(probes), purity);
    }
}
