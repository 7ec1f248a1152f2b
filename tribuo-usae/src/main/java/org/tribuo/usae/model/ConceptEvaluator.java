package org.tribuo.usae.model;

import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the sparsity of a USAE's predicted codes (see {@link ConceptEvaluation}).
 *
 * <p>Implements {@link Evaluator} directly rather than extending Tribuo's AbstractEvaluator: that one
 * rejects examples whose ground truth is the unknown output, and USAE data is unlabelled by design.
 * Ground truth is ignored; only predicted outputs are read.
 */
public final class ConceptEvaluator implements Evaluator<ConceptActivations, ConceptEvaluation> {

    @Override
    public ConceptEvaluation evaluate(Model<ConceptActivations> model, Dataset<ConceptActivations> dataset) {
        return evaluate(model, model.predict(dataset), dataset.getProvenance());
    }

    @Override
    public ConceptEvaluation evaluate(Model<ConceptActivations> model, DataSource<ConceptActivations> datasource) {
        List<Example<ConceptActivations>> examples = new ArrayList<>();
        for (Example<ConceptActivations> e : datasource) {
            examples.add(e);
        }
        return evaluate(model, model.predict(examples), datasource.getProvenance());
    }

    /**
     * @param model          the model, whose output info gives m.
     * @param predictions    its predictions.
     * @param dataProvenance provenance of the data predicted on.
     * @return the evaluation over the model's m latents.
     */
    @Override
    public ConceptEvaluation evaluate(Model<ConceptActivations> model, List<Prediction<ConceptActivations>> predictions,
                                      DataProvenance dataProvenance) {
        EvaluationProvenance provenance = new EvaluationProvenance(model.getProvenance(), dataProvenance);
        return evaluate(numLatents(model.getOutputIDInfo()), predictions, provenance);
    }

    /**
     * The core computation, independent of a Model.
     * @param numLatents  m.
     * @param predictions predicted codes.
     * @param provenance  recorded in the evaluation (may be null outside a model).
     * @return the evaluation.
     * @throws IllegalArgumentException when a prediction uses a concept id >= m.
     */
    public static ConceptEvaluation evaluate(int numLatents, List<Prediction<ConceptActivations>> predictions,
                                             EvaluationProvenance provenance) {
        if (numLatents < 1) {
            throw new IllegalArgumentException("numLatents must be >= 1, got " + numLatents);
        }
        long[] counts = new long[numLatents];
        long totalL0 = 0;
        for (int i = 0; i < predictions.size(); i++) {
            ConceptActivations code = predictions.get(i).getOutput();
            for (int j = 0; j < code.size(); j++) {
                int id = code.id(j);
                if (id >= numLatents) {
                    throw new IllegalArgumentException("Prediction " + i + " activates concept " + id
                            + " but the model has " + numLatents + " latents");
                }
                counts[id]++;
            }
            totalL0 += code.size();
        }
        return new ConceptEvaluation(counts, totalL0, new ArrayList<>(predictions), provenance);
    }

    /** A USAE model's domain is its latents; for any other info, its size is the best available m. */
    private static int numLatents(ImmutableOutputInfo<ConceptActivations> info) {
        return info instanceof ImmutableConceptInfo c ? c.numLatents() : info.size();
    }
}
