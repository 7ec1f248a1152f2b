package org.tribuo.usae.sae;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The official USAE encoder: {@code h = x W^T + b}, then BatchNorm1d with PyTorch's train and eval semantics
 * ({@code bn.weight} starting at 1, {@code bn.bias} at 0, running mean 0 and variance 1).
 */
public final class BatchNormEncoder implements Encoder {
    /** The one instance. */
    public static final BatchNormEncoder INSTANCE = new BatchNormEncoder();
    /** BatchNorm1d's epsilon (PyTorch's default). */
    public static final double EPS = 1e-5;

    private BatchNormEncoder() {
    }

    @Override
    public void addTensors(int numLatents, Map<String, float[]> trainable, Map<String, float[]> buffers) {
        float[] gamma = new float[numLatents];
        Arrays.fill(gamma, 1f);
        trainable.put(ModelParameters.BN_WEIGHT, gamma);
        trainable.put(ModelParameters.BN_BIAS, new float[numLatents]);
        buffers.put(ModelParameters.BN_RUNNING_MEAN, new float[numLatents]);
        float[] var = new float[numLatents];
        Arrays.fill(var, 1f);
        buffers.put(ModelParameters.BN_RUNNING_VAR, var);
    }

    @Override
    public List<String> trainingBuffers() {
        return List.of(ModelParameters.BN_RUNNING_MEAN, ModelParameters.BN_RUNNING_VAR);
    }

    @Override
    public boolean subtractsInputBias() {
        return false;
    }

    @Override
    public boolean normalizesOverBatch() {
        return true;
    }

    /** {@code r = bn.weight / sqrt(running_var + eps)}: {@code pre = x_std (r W)^T + r (b - running_mean) + bn.bias}. */
    @Override
    public EncoderAffine evalAffine(ModelParameters p) {
        int m = p.numLatents();
        int d = p.dim();
        float[] w = p.encoderWeight();
        float[] b = p.encoderBias();
        float[] gamma = p.bnWeight();
        float[] beta = p.bnBias();
        float[] mean = p.bnRunningMean();
        float[] var = p.bnRunningVar();
        double[] weight = new double[m * d];
        double[] bias = new double[m];
        for (int j = 0; j < m; j++) {
            double r = gamma[j] / Math.sqrt(var[j] + EPS);
            for (int c = 0; c < d; c++) {
                weight[j * d + c] = r * w[j * d + c];
            }
            bias[j] = r * ((double) b[j] - mean[j]) + beta[j];
        }
        return new EncoderAffine(weight, bias);
    }

    @Override
    public String formula() {
        return "h = x_std @ encoder.weight.T + encoder.bias; "
                + "pre = bn.weight * (h - bn.running_mean) / sqrt(bn.running_var + 1e-5) + bn.bias";
    }

    @Override
    public double[] backwardFlops(double rows, double sourceDim, double numLatents) {
        return new double[]{2 * rows * sourceDim * sourceDim + 2 * sourceDim * sourceDim * numLatents, 0};  // X^T·X, then (X^T·X)·W^T
    }

    @Override
    public long scratchFloats(long rows, long numLatents, long maxDim, long encoded) {
        // the centred input and its moments, reused by each encoded model in turn
        return rows * maxDim + 2 * numLatents * maxDim + maxDim * maxDim;
    }

    @Override
    public long ownParameterFloats(long numLatents) {
        return 4 * numLatents;
    }

    @Override
    public String label() {
        return "BatchNorm encoder";
    }

    @Override
    public String toString() {
        return "BatchNormEncoder";
    }
}
