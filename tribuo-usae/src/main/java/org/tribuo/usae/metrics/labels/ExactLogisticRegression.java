package org.tribuo.usae.metrics.labels;

/**
 * The reference 1-feature logistic regression: minimises
 * {@code 0.5 w² + C Σ_i [log(1 + exp(z_i)) − y_i z_i]}, {@code z_i = w x_i + b}, the intercept b not
 * penalised (sklearn's {@code LogisticRegression(C=1)} objective with lbfgs), by damped Newton steps
 * to a gradient below 1e-10 relative to the sample count. Exact up to float rounding, so it is the
 * oracle the Tribuo fit is checked against, and a solver option of the probe.
 */
public final class ExactLogisticRegression {
    /** A fitted probe. @param weight w. @param intercept b. */
    public record Fit(double weight, double intercept) {
        /** @param x feature. @return P(y = 1 | x). */
        public double probability(double x) {
            return sigmoid(weight * x + intercept);
        }
    }

    private ExactLogisticRegression() {
    }

    /**
     * @param x feature per sample.
     * @param y label per sample; both classes must occur.
     * @param c inverse regularisation strength (sklearn's C); {@code Double.POSITIVE_INFINITY} = none.
     * @return the optimum.
     */
    public static Fit fit(double[] x, boolean[] y, double c) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("need as many labels as features (and at least one), got " + x.length
                    + " features and " + y.length + " labels");
        }
        if (!(c > 0)) {
            throw new IllegalArgumentException("C must be > 0, got " + c);
        }
        // Penalty 0.5 w² / C on the mean-free scale: divide the objective by C (same optimum).
        double lambda = Double.isInfinite(c) ? 0 : 1.0 / c;
        double w = 0;
        double b = 0;
        double tol = 1e-10 * x.length;
        for (int iter = 0; iter < 200; iter++) {
            double gw = lambda * w;
            double gb = 0;
            double hww = lambda;
            double hwb = 0;
            double hbb = 0;
            for (int i = 0; i < x.length; i++) {
                double p = sigmoid(w * x[i] + b);
                double r = p - (y[i] ? 1 : 0);
                double s = p * (1 - p);
                gw += r * x[i];
                gb += r;
                hww += s * x[i] * x[i];
                hwb += s * x[i];
                hbb += s;
            }
            if (Math.abs(gw) + Math.abs(gb) < tol) {
                break;
            }
            // Tiny ridge keeps the 2x2 solve defined when probabilities saturate.
            hww += 1e-12;
            hbb += 1e-12;
            double det = hww * hbb - hwb * hwb;
            double dw = (hbb * gw - hwb * gb) / det;
            double db = (hww * gb - hwb * gw) / det;
            double f0 = objective(x, y, lambda, w, b);
            double step = 1;
            while (step > 1e-12 && objective(x, y, lambda, w - step * dw, b - step * db) > f0) {
                step /= 2;
            }
            w -= step * dw;
            b -= step * db;
        }
        return new Fit(w, b);
    }

    /** @return {@code 0.5 λ w² + Σ log-loss}. */
    static double objective(double[] x, boolean[] y, double lambda, double w, double b) {
        double f = 0.5 * lambda * w * w;
        for (int i = 0; i < x.length; i++) {
            double z = w * x[i] + b;
            // log(1 + e^z) - y z, computed without overflow
            f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] ? z : 0);
        }
        return f;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
