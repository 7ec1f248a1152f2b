package org.tribuo.usae.sae;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of one model's encoder and decoder, as named float32 tensors in row-major order.
 *
 * <p>Trainable tensors (all present ones get gradients and AdamW):
 * <ul>
 *   <li>{@link #ENC_WEIGHT} {@code [m x d]} (PyTorch Linear layout), {@link #ENC_BIAS} {@code [m]}</li>
 *   <li>{@link #BN_WEIGHT}, {@link #BN_BIAS} {@code [m]} (BATCHNORM encoder only)</li>
 *   <li>{@link #INPUT_BIAS} {@code [d]}: the pre-bias of an AFFINE encoder and/or the decoder bias
 *       (one tensor: SPARC ties them)</li>
 *   <li>{@link #DICTIONARY} {@code [m x d]}: one row per latent, raw (normalised on use or kept unit)</li>
 * </ul>
 * Buffers (no gradient): {@link #BN_RUNNING_MEAN}, {@link #BN_RUNNING_VAR} {@code [m]} and
 * {@link #bnBatchesTracked()}. The scalar standardisation (mu, sigma) maps raw activations to the
 * space the encoder sees: {@code (x - mu) / (sigma + 1e-5)}.
 */
public final class ModelParameters implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final String ENC_WEIGHT = "encoder.weight";
    public static final String ENC_BIAS = "encoder.bias";
    public static final String BN_WEIGHT = "bn.weight";
    public static final String BN_BIAS = "bn.bias";
    public static final String INPUT_BIAS = "input_bias";
    public static final String DICTIONARY = "dictionary";
    public static final String BN_RUNNING_MEAN = "bn.running_mean";
    public static final String BN_RUNNING_VAR = "bn.running_var";
    /** A sparsity block's inference threshold ({@link Sparsity#inferenceThreshold()}), one value. */
    public static final String INFERENCE_THRESHOLD = "sparsity.threshold";

    /** Added to sigma before dividing, as the official code does. */
    public static final double STANDARDIZE_EPS = 1e-5;

    private final String name;
    private final int dim;
    private final int numLatents;
    private final LinkedHashMap<String, float[]> trainable;
    private final LinkedHashMap<String, float[]> buffers;
    private double mu;
    private double sigma;
    private long bnBatchesTracked;

    /**
     * Creates zero-filled parameters with the tensors the architecture needs.
     * @param name model name.
     * @param dim the model's activation width d.
     * @param arch the architecture.
     */
    public ModelParameters(String name, int dim, Architecture arch) {
        this(name, dim, arch.numLatents(), new LinkedHashMap<>(), new LinkedHashMap<>(), 0.0, 1.0, 0);
        int m = arch.numLatents();
        trainable.put(ENC_WEIGHT, new float[m * dim]);
        trainable.put(ENC_BIAS, new float[m]);
        arch.encoderBlock().addTensors(m, trainable, buffers);
        if (arch.hasInputBias()) {
            trainable.put(INPUT_BIAS, new float[dim]);
        }
        trainable.put(DICTIONARY, new float[m * dim]);
        if (arch.sparsityBlock().inferenceThreshold()) {
            buffers.put(INFERENCE_THRESHOLD, new float[1]);
        }
    }

    private ModelParameters(String name, int dim, int numLatents, LinkedHashMap<String, float[]> trainable,
                            LinkedHashMap<String, float[]> buffers, double mu, double sigma, long bnBatchesTracked) {
        if (dim < 1) {
            throw new IllegalArgumentException("Model '" + name + "' must have width >= 1, got " + dim);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.dim = dim;
        this.numLatents = numLatents;
        this.trainable = trainable;
        this.buffers = buffers;
        this.mu = mu;
        this.sigma = sigma;
        this.bnBatchesTracked = bnBatchesTracked;
    }

    /**
     * Rebuilds parameters from stored tensors (deserialisation, checkpoints). Shapes are checked.
     * @param name model name.
     * @param dim width d.
     * @param numLatents m.
     * @param trainable trainable tensors by name.
     * @param buffers buffers by name.
     * @param mu standardisation mean.
     * @param sigma standardisation std.
     * @param bnBatchesTracked BatchNorm's num_batches_tracked.
     * @return the parameters.
     */
    public static ModelParameters of(String name, int dim, int numLatents, Map<String, float[]> trainable,
                                     Map<String, float[]> buffers, double mu, double sigma, long bnBatchesTracked) {
        ModelParameters p = new ModelParameters(name, dim, numLatents, new LinkedHashMap<>(trainable),
                new LinkedHashMap<>(buffers), mu, sigma, bnBatchesTracked);
        for (Map.Entry<String, float[]> e : p.trainable.entrySet()) {
            p.checkLength(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, float[]> e : p.buffers.entrySet()) {
            p.checkLength(e.getKey(), e.getValue());
        }
        if (!p.trainable.containsKey(ENC_WEIGHT) || !p.trainable.containsKey(DICTIONARY)) {
            throw new IllegalArgumentException("Model '" + name + "' lacks " + ENC_WEIGHT + " or " + DICTIONARY);
        }
        return p;
    }

    /**
     * The element count a tensor of this name must have.
     * @param tensor tensor name.
     * @return its length.
     */
    public int expectedLength(String tensor) {
        long[] shape;
        try {
            shape = shapeOf(tensor, numLatents, dim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown tensor '" + tensor + "' in model '" + name + "'", e);
        }
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }

    /**
     * The row-major shape of a named tensor, the one place that knows it (files and checkpoints store it).
     * @param tensor tensor name.
     * @param m latents.
     * @param d the model's width.
     * @return {@code [m, d]} matrices, {@code [d]} the input bias, {@code [m]} per-latent vectors, {@code [1]} scalars.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static long[] shapeOf(String tensor, int m, int d) {
        return switch (tensor) {
            case ENC_WEIGHT, DICTIONARY -> new long[]{m, d};
            case INPUT_BIAS -> new long[]{d};
            case ENC_BIAS, BN_WEIGHT, BN_BIAS, BN_RUNNING_MEAN, BN_RUNNING_VAR -> new long[]{m};
            case INFERENCE_THRESHOLD -> new long[]{1};
            default -> throw new IllegalArgumentException("Unknown tensor '" + tensor + "'");
        };
    }

    private void checkLength(String tensor, float[] v) {
        if (v.length != expectedLength(tensor)) {
            throw new IllegalArgumentException("Tensor '" + tensor + "' of model '" + name + "' has " + v.length
                    + " values, expected " + expectedLength(tensor) + " (m=" + numLatents + ", d=" + dim + ")");
        }
    }

    public String name() { return name; }
    public int dim() { return dim; }
    public int numLatents() { return numLatents; }

    /** @return trainable tensors in a fixed order (live arrays, not copies). */
    public Map<String, float[]> trainable() { return Collections.unmodifiableMap(trainable); }

    /** @return buffers (live arrays). */
    public Map<String, float[]> buffers() { return Collections.unmodifiableMap(buffers); }

    /** @param tensor trainable tensor name. @return the live array, or null if this model has none. */
    public float[] get(String tensor) {
        float[] v = trainable.get(tensor);
        return v != null ? v : buffers.get(tensor);
    }

    public boolean has(String tensor) { return trainable.containsKey(tensor) || buffers.containsKey(tensor); }

    public float[] encoderWeight() { return trainable.get(ENC_WEIGHT); }
    public float[] encoderBias() { return trainable.get(ENC_BIAS); }
    public float[] bnWeight() { return trainable.get(BN_WEIGHT); }
    public float[] bnBias() { return trainable.get(BN_BIAS); }
    public float[] inputBias() { return trainable.get(INPUT_BIAS); }
    public float[] dictionary() { return trainable.get(DICTIONARY); }
    public float[] bnRunningMean() { return buffers.get(BN_RUNNING_MEAN); }
    public float[] bnRunningVar() { return buffers.get(BN_RUNNING_VAR); }

    public double mu() { return mu; }
    public double sigma() { return sigma; }

    /** @param mu mean. @param sigma std (unbiased), must be finite and >= 0. */
    public void setStandardization(double mu, double sigma) {
        if (!Double.isFinite(mu) || !Double.isFinite(sigma) || sigma < 0) {
            throw new IllegalArgumentException("Model '" + name + "': standardisation needs finite mu and sigma >= 0, got "
                    + mu + ", " + sigma);
        }
        this.mu = mu;
        this.sigma = sigma;
    }

    public long bnBatchesTracked() { return bnBatchesTracked; }
    public void setBnBatchesTracked(long n) { this.bnBatchesTracked = n; }

    /** @return a deep copy. */
    public ModelParameters copy() {
        LinkedHashMap<String, float[]> t = new LinkedHashMap<>();
        trainable.forEach((k, v) -> t.put(k, v.clone()));
        LinkedHashMap<String, float[]> b = new LinkedHashMap<>();
        buffers.forEach((k, v) -> b.put(k, v.clone()));
        return new ModelParameters(name, dim, numLatents, t, b, mu, sigma, bnBatchesTracked);
    }

    /**
     * Dictionary rows divided by (||row|| + 1e-8): the decoder the official code uses.
     * @return a new {@code [m x d]} array.
     */
    public float[] normalizedDictionary() {
        float[] w = dictionary();
        float[] out = new float[w.length];
        for (int j = 0; j < numLatents; j++) {
            double s = 0;
            int o = j * dim;
            for (int c = 0; c < dim; c++) {
                s += (double) w[o + c] * w[o + c];
            }
            float inv = (float) (1.0 / (Math.sqrt(s) + 1e-8));
            for (int c = 0; c < dim; c++) {
                out[o + c] = w[o + c] * inv;
            }
        }
        return out;
    }
}
