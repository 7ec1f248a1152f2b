package org.tribuo.usae.metrics.labels;

/** Scores of binary probability predictions. */
public final class BinaryScores {
    /** sklearn's {@code log_loss} clips probabilities to [eps, 1 − eps] so a confident miss stays finite. */
    public static final double EPS = 1e-15;

    private BinaryScores() {
    }

    /** @param p P(y=1) per sample. @param y labels. @return mean binary cross-entropy (natural log). */
    public static double logLoss(double[] p, boolean[] y) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
            sum -= y[i] ? Math.log(q) : Math.log(1 - q);
        }
        return sum / p.length;
    }

    /** @return share of samples with (p &gt; 0.5) == y. */
    public static double accuracy(double[] p, boolean[] y) {
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += (p[i] > 0.5) == y[i] ? 1 : 0;
        }
        return (double) ok / p.length;
    }

    /**
     * @return ROC AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs the
     *         positive scores higher, ties counting 1/2 (brute force O(n²); probe test sets are small).
     */
    public static double auc(double[] p, boolean[] y) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < p.length; i++) {
            if (!y[i]) {
                continue;
            }
            for (int j = 0; j < p.length; j++) {
                if (y[j]) {
                    continue;
                }
                pairs++;
                wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }
}
