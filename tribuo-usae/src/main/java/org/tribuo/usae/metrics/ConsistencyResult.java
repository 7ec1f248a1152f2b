package org.tribuo.usae.metrics;

/**
 * Consistency of one model's USAE dictionary with an independently trained SAE's dictionary (docs/metrics.md,
 * "Concepts"; the paper's Fig. 7 and 16), against the random-dictionary baseline.
 *
 * @param model              model name.
 * @param concepts           {@code [n]} USAE concept ids compared (all m, or a subset such as the top co-firing).
 * @param matchedIndependent {@code [n]} the independent SAE's concept matched 1-to-1 to each.
 * @param matchedCosine      {@code [n]} cosine of each matched pair.
 * @param distribution       summary of {@code matchedCosine}.
 * @param randomBaseline     the same summary with the independent dictionary replaced by a Gaussian one of
 *                           equal shape, mean and variance (seeded).
 */
public record ConsistencyResult(String model, int[] concepts, int[] matchedIndependent, double[] matchedCosine,
                                CosineDistribution distribution, CosineDistribution randomBaseline) {
}
