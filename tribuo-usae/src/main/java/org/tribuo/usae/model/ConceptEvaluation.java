package org.tribuo.usae.model;

import org.tribuo.Prediction;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.metrics.EvaluationMetric;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.provenance.EvaluationProvenance;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sparsity statistics of a USAE's predicted codes over its m latents: mean L0 per token, firing count
 * per concept, and the concepts that never fired (dead).
 *
 * <p>{@link #asMap()} holds {@link #MEAN_L0}, {@link #DEAD_CONCEPTS}, {@link #DEAD_FRACTION} and
 * {@link #TOKENS}, and one {@link #FIRING_COUNT} entry per latent j under the target {@code {j: 1}}
 * (see {@link #firingCountID(int)}).
 */
public final class ConceptEvaluation implements Evaluation<ConceptActivations> {
    /** Whole-set metrics use the micro-average target, as Tribuo's clustering metrics do. */
    private static final MetricTarget<ConceptActivations> ALL = new MetricTarget<>(EvaluationMetric.Average.MICRO);

    /** Mean number of active concepts per predicted code. */
    public static final MetricID<ConceptActivations> MEAN_L0 = new MetricID<>(ALL, "mean_l0");
    /** Number of latents that fired in no prediction. */
    public static final MetricID<ConceptActivations> DEAD_CONCEPTS = new MetricID<>(ALL, "dead_concepts");
    /** Dead latents divided by m. */
    public static final MetricID<ConceptActivations> DEAD_FRACTION = new MetricID<>(ALL, "dead_fraction");
    /** Number of predictions (tokens) evaluated. */
    public static final MetricID<ConceptActivations> TOKENS = new MetricID<>(ALL, "tokens");
    /** Metric name of the per-concept firing counts. */
    public static final String FIRING_COUNT = "firing_count";

    private final long[] firingCounts;
    private final double meanL0;
    private final int deadConcepts;
    private final List<Prediction<ConceptActivations>> predictions;
    private final EvaluationProvenance provenance;
    private final Map<MetricID<ConceptActivations>, Double> metrics;

    /**
     * @param firingCounts per-latent firing counts (length m, owned by this object).
     * @param totalL0      active concepts summed over all predictions.
     * @param predictions  the evaluated predictions.
     * @param provenance   model and data provenance.
     */
    ConceptEvaluation(long[] firingCounts, long totalL0, List<Prediction<ConceptActivations>> predictions,
                      EvaluationProvenance provenance) {
        this.firingCounts = firingCounts;
        this.meanL0 = predictions.isEmpty() ? 0.0 : (double) totalL0 / predictions.size();
        int dead = 0;
        for (long c : firingCounts) {
            if (c == 0) {
                dead++;
            }
        }
        this.deadConcepts = dead;
        this.predictions = Collections.unmodifiableList(predictions);
        this.provenance = provenance;
        this.metrics = buildMap();
    }

    private Map<MetricID<ConceptActivations>, Double> buildMap() {
        Map<MetricID<ConceptActivations>, Double> m = new HashMap<>();
        m.put(MEAN_L0, meanL0);
        m.put(DEAD_CONCEPTS, (double) deadConcepts);
        m.put(DEAD_FRACTION, deadFraction());
        m.put(TOKENS, (double) predictions.size());
        for (int j = 0; j < firingCounts.length; j++) {
            m.put(firingCountID(j), (double) firingCounts[j]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** @param conceptId a latent. @return the key of its firing count in {@link #asMap()}. */
    public static MetricID<ConceptActivations> firingCountID(int conceptId) {
        return new MetricID<>(new MetricTarget<>(ConceptActivations.single(conceptId)), FIRING_COUNT);
    }

    /** @return m, the number of latents evaluated over. */
    public int numLatents() { return firingCounts.length; }

    /** @return the mean number of active concepts per prediction (0 with no predictions). */
    public double meanL0() { return meanL0; }

    /** @param conceptId a latent. @return how many predictions it was active in. */
    public long firingCount(int conceptId) { return firingCounts[conceptId]; }

    /** @return per-latent firing counts, a copy of length m. */
    public long[] firingCounts() { return firingCounts.clone(); }

    /** @return the number of latents that never fired. */
    public int deadConcepts() { return deadConcepts; }

    /** @return dead latents over m. */
    public double deadFraction() { return (double) deadConcepts / firingCounts.length; }

    @Override
    public Map<MetricID<ConceptActivations>, Double> asMap() { return metrics; }

    @Override
    public List<Prediction<ConceptActivations>> getPredictions() { return predictions; }

    @Override
    public EvaluationProvenance getProvenance() { return provenance; }

    @Override
    public String toString() {
        return "Concept Evaluation\ntokens = " + predictions.size() + "\nmean L0 = " + meanL0 + "\ndead concepts = "
                + deadConcepts + " / " + firingCounts.length + " (" + deadFraction() + ")";
    }
}
