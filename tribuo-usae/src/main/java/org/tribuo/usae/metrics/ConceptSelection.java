package org.tribuo.usae.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Concepts unique to one model and concepts universal to all, each list ranked by decreasing
 * aggregated energy (see {@link UniversalityCriteria} for the rules).
 *
 * @param criteria       the thresholds used.
 * @param uniqueByModel  per model (model order), the concept ids unique to it.
 * @param universal      concept ids that fire and co-fire in every model.
 */
public record ConceptSelection(UniversalityCriteria criteria, List<int[]> uniqueByModel, int[] universal) {

    /**
     * @param stats    concept statistics.
     * @param criteria thresholds.
     * @return the selection.
     */
    public static ConceptSelection select(ConceptStats stats, UniversalityCriteria criteria) {
        int models = stats.numModels();
        List<List<Integer>> unique = new ArrayList<>();
        for (int i = 0; i < models; i++) {
            unique.add(new ArrayList<>());
        }
        List<Integer> universal = new ArrayList<>();
        for (int k : stats.energyRank()) {
            long total = stats.totalFires(k);
            if (total >= criteria.minUniqueFires() && stats.firingEntropy()[k] <= criteria.maxUniqueEntropy()) {
                for (int i = 0; i < models; i++) {
                    if ((double) stats.fireCounts()[i][k] / total >= criteria.minDominantShare()) {
                        unique.get(i).add(k);
                    }
                }
            }
            boolean everywhere = true;
            for (int i = 0; i < models && everywhere; i++) {
                everywhere = stats.fireCounts()[i][k] >= criteria.minUniversalFires()
                        && stats.coFireProportion()[i][k] >= criteria.minUniversalCoFireProportion();
            }
            if (everywhere) {
                universal.add(k);
            }
        }
        return new ConceptSelection(criteria, unique.stream().map(ConceptSelection::toArray).toList(),
                toArray(universal));
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
