package org.tribuo.usae.sae;

import java.util.List;
import java.util.Map;

/** Paper Eq. 3 / SPARC: {@code pre = (x - input_bias) W^T + b}, the input bias tied to the decoder's. */
public final class AffineEncoder implements Encoder {
    /** The one instance. */
    public static final AffineEncoder INSTANCE = new AffineEncoder();

    private AffineEncoder() {
    }

    @Override
    public void addTensors(int numLatents, Map<String, float[]> trainable, Map<String, float[]> buffers) {
        // nothing beyond W and b; the input bias is added by the architecture (it is the decoder's too)
    }

    @Override
    public List<String> trainingBuffers() {
        return List.of();
    }

    @Override
    public boolean subtractsInputBias() {
        return true;
    }

    @Override
    public boolean normalizesOverBatch() {
        return false;
    }

    /** {@code pre = x_std W^T + (b - W input_bias)}. */
    @Override
    public EncoderAffine evalAffine(ModelParameters p) {
        int m = p.numLatents();
        int d = p.dim();
        float[] w = p.encoderWeight();
        float[] b = p.encoderBias();
        float[] ib = p.inputBias();
        double[] weight = new double[m * d];
        double[] bias = new double[m];
        for (int j = 0; j < m; j++) {
            double s = b[j];
            for (int c = 0; c < d; c++) {
                weight[j * d + c] = w[j * d + c];
                s -= (double) w[j * d + c] * ib[c];
            }
            bias[j] = s;
        }
        return new EncoderAffine(weight, bias);
    }

    @Override
    public String formula() {
        return "pre = (x_std - input_bias) @ encoder.weight.T + encoder.bias";
    }

    @Override
    public double[] backwardFlops(double rows, double sourceDim, double numLatents) {
        return new double[]{0, 2 * numLatents * sourceDim};      // the pre-bias gradient -dB·W
    }

    @Override
    public long scratchFloats(long rows, long numLatents, long maxDim, long encoded) {
        return encoded * rows * maxDim;                          // x - input_bias, per encoded model
    }

    @Override
    public long ownParameterFloats(long numLatents) {
        return 0;
    }

    @Override
    public String label() {
        return "affine encoder";
    }

    @Override
    public String toString() {
        return "AffineEncoder";
    }
}
