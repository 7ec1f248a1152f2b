package org.tribuo.usae.onnx.cam;

/**
 * NAdam (Dozat 2016) with PyTorch's defaults and momentum-decay schedule ({@code torch.optim.NAdam}): betas
 * (0.9, 0.999), eps 1e-8, momentum decay 0.004. Minimises: {@link #step} moves against the gradient.
 */
final class Nadam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;
    private static final double PSI = 0.004;

    private final double lr;
    private final double[] m;
    private final double[] v;
    private double muProduct = 1;
    private int t;

    Nadam(int size, double lr) {
        this.lr = lr;
        this.m = new double[size];
        this.v = new double[size];
    }

    void step(double[] params, double[] grad) {
        t++;
        double mu = BETA1 * (1 - 0.5 * Math.pow(0.96, t * PSI));
        double muNext = BETA1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * PSI));
        muProduct *= mu;
        double bias2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
            double denom = Math.sqrt(v[i] / bias2) + EPS;
            params[i] -= lr * (1 - mu) / (1 - muProduct) * grad[i] / denom
                    + lr * muNext / (1 - muProduct * muNext) * m[i] / denom;
        }
    }
}
