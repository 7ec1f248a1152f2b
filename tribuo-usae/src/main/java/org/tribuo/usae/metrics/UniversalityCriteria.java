package org.tribuo.usae.metrics;

/**
 * Thresholds that sort concepts into "unique to one model" and "universal" (docs/metrics.md, "Concepts", paper
 * §4.6/A.2-A.3: unique concepts are picked by low firing entropy with the firing mass on one model).
 * The paper gives no numbers; the defaults are chosen so that with M = 3 a concept whose fires split
 * 90/10/0 or 95/5/0 between the models counts as unique (FE 0.30 and 0.18) while 90/5/5 (FE 0.36) does
 * not, and a universal concept co-fires on at least half of each model's fires (the paper's top
 * ~100 concepts have CFP > 0.5).
 *
 * @param maxUniqueEntropy             unique: FE_k <= this (default 0.3).
 * @param minDominantShare             unique to i: p_k^(i) = |F_k^(i)| / Σ_j |F_k^(j)| >= this (default 0.9; must exceed 0.5 so one model at most qualifies).
 * @param minUniqueFires               unique: Σ_j |F_k^(j)| >= this, so that rare noise is not listed (default 10).
 * @param minUniversalCoFireProportion universal: CFP_k^(i) >= this in every model (default 0.5).
 * @param minUniversalFires            universal: |F_k^(i)| >= this in every model (default 10).
 */
public record UniversalityCriteria(double maxUniqueEntropy, double minDominantShare, long minUniqueFires,
                                   double minUniversalCoFireProportion, long minUniversalFires) {
    /** The defaults above. */
    public static final UniversalityCriteria DEFAULT = new UniversalityCriteria(0.3, 0.9, 10, 0.5, 10);

    public UniversalityCriteria {
        if (!(maxUniqueEntropy >= 0 && maxUniqueEntropy <= 1)) {
            throw new IllegalArgumentException("maxUniqueEntropy must be in [0, 1], got " + maxUniqueEntropy);
        }
        if (!(minDominantShare > 0.5 && minDominantShare <= 1)) {
            // above one half, at most one model can hold the dominant share
            throw new IllegalArgumentException("minDominantShare must be in (0.5, 1], got " + minDominantShare);
        }
        if (!(minUniversalCoFireProportion >= 0 && minUniversalCoFireProportion <= 1)) {
            throw new IllegalArgumentException("minUniversalCoFireProportion must be in [0, 1], got "
                    + minUniversalCoFireProportion);
        }
        if (minUniqueFires < 1 || minUniversalFires < 1) {
            throw new IllegalArgumentException("minUniqueFires and minUniversalFires must be >= 1, got "
                    + minUniqueFires + " and " + minUniversalFires);
        }
    }
}
