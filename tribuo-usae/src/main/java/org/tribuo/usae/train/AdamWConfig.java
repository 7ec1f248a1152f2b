package org.tribuo.usae.train;

/**
 * AdamW hyperparameters.
 * @param beta1 first-moment decay (PyTorch default 0.9).
 * @param beta2 second-moment decay (0.999).
 * @param eps denominator epsilon (1e-8).
 * @param weightDecay decoupled weight decay (official USAE 1e-5; 0 gives Adam, as SPARC).
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {
    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW needs eps > 0 and weightDecay >= 0, got " + eps + ", " + weightDecay);
        }
    }
}
