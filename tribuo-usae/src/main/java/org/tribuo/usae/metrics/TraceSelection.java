package org.tribuo.usae.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Concepts universal to all models and concepts unique to one, by their {@link ConceptTrace}s; each list in the order
 * given (the analysis passes the energy ranking). With {@code T(s -> t)} the trace from source s into target t and
 * {@code n_s} the concept's fires in model s:
 * <ul>
 *   <li><b>universal:</b> it fires at least {@code minFires} times in all, and every model t carries it: the trace
 *       into t from the other models' firing tokens (pooled) is at least {@code minTrace}, or, when the other models
 *       fire it fewer than {@code minFires} times, t fires it at least {@code minFires} times itself;</li>
 *   <li><b>unique to model i:</b> i fires it at least {@code minFires} times, and no model's firing moves another
 *       model: {@code |T(s -> t)| < minTrace} for every source s with at least {@code minFires} fires (i included) and
 *       every target t other than s. A latent whose decoders hold a different model-specific concept in each of two
 *       models is unique to both.</li>
 * </ul>
 *
 * @param criteria      the thresholds.
 * @param uniqueByModel per model (model order), the concepts unique to it.
 * @param universal     the universal concepts.
 */
public record TraceSelection(TraceCriteria criteria, List<int[]> uniqueByModel, int[] universal) {

    /**
     * @param trace    the traces.
     * @param order    the concept ids in the order the lists keep (e.g. {@link ConceptStats#energyRank()}).
     * @param criteria the thresholds.
     * @return the selection.
     */
    public static TraceSelection select(ConceptTrace trace, int[] order, TraceCriteria criteria) {
        int models = trace.numModels();
        long minFires = criteria.minFires();
        List<List<Integer>> unique = new ArrayList<>();
        for (int i = 0; i < models; i++) {
            unique.add(new ArrayList<>());
        }
        List<Integer> universal = new ArrayList<>();
        for (int k : order) {
            if (isUniversal(trace, k, criteria)) {
                universal.add(k);
            }
            boolean quiet = true;                 // no firing model moves another
            for (int s = 0; s < models && quiet; s++) {
                if (trace.fires()[s][k] < minFires) {
                    continue;
                }
                for (int t = 0; t < models && quiet; t++) {
                    // NaN (no spread along the direction) is no evidence of presence
                    quiet = t == s || !(Math.abs(trace.trace(s, t, k)) >= criteria.minTrace());
                }
            }
            for (int i = 0; i < models && quiet; i++) {
                if (models > 1 && trace.fires()[i][k] >= minFires) {
                    unique.get(i).add(k);
                }
            }
        }
        return new TraceSelection(criteria, unique.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toList(), universal.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isUniversal(ConceptTrace trace, int k, TraceCriteria criteria) {
        long total = 0;
        for (int s = 0; s < trace.numModels(); s++) {
            total += trace.fires()[s][k];
        }
        if (total < criteria.minFires()) {
            return false;
        }
        for (int t = 0; t < trace.numModels(); t++) {
            boolean carries = trace.firesOfOthers(t, k) >= criteria.minFires()
                    ? trace.traceFromOthers(t, k) >= criteria.minTrace()
                    : trace.fires()[t][k] >= criteria.minFires();
            if (!carries) {
                return false;
            }
        }
        return true;
    }
}
