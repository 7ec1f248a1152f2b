package org.tribuo.usae.sae;

import java.util.List;
import java.util.Map;

/**
 * How a model's standardised activations {@code x [rows x d]} become pre-activations {@code [rows x m]}: a linear map
 * {@code h = x' W^T + b} of the input {@code x'} ({@code x}, or {@code x - input_bias} when it
 * {@link #subtractsInputBias()}), optionally normalised over the batch (BatchNorm). The block names the tensors it
 * adds to a model, its formula and what the FLOP and memory models count for it; the engines implement its two
 * capabilities ({@link #subtractsInputBias()}, {@link #normalizesOverBatch()}). Named in options and model files by
 * {@link EncoderKind}.
 */
public interface Encoder {
    /**
     * Adds the tensors it needs beyond {@code encoder.weight} and {@code encoder.bias}, with their starting values.
     * @param numLatents m.
     * @param trainable  the model's trainable tensors, in file order.
     * @param buffers    the model's buffers, in file order.
     */
    void addTensors(int numLatents, Map<String, float[]> trainable, Map<String, float[]> buffers);

    /** @return the buffers a training step updates (carried as state by fused engines), in file order. */
    List<String> trainingBuffers();

    /** @return whether the linear map reads {@code x - input_bias} (the bias tied to the decoder's, SPARC). */
    boolean subtractsInputBias();

    /**
     * @return whether {@code h} is normalised per latent over the batch (BatchNorm: batch statistics in training,
     *     running statistics at inference).
     */
    boolean normalizesOverBatch();

    /** @return the forward pass at inference, as the dictionary export writes it. */
    String formula();

    /**
     * @param p a model's parameters.
     * @return this encoder at inference as one affine map of the standardised input, in double precision.
     */
    EncoderAffine evalAffine(ModelParameters p);

    /**
     * @param rows       rows N.
     * @param sourceDim  the model's width.
     * @param numLatents m.
     * @return the FLOPs of its backward beyond the encoder weight's scatter: {dense, sparse}.
     */
    double[] backwardFlops(double rows, double sourceDim, double numLatents);

    /**
     * @param rows       rows per step.
     * @param numLatents m.
     * @param maxDim     the widest model.
     * @param encoded    the most models a step encodes.
     * @return float32 values a CPU step holds for it beyond the pre-activations and the GEMM operands.
     */
    long scratchFloats(long rows, long numLatents, long maxDim, long encoded);

    /**
     * @param numLatents m.
     * @return float32 values of its own tensors per model (trainable and buffers, beyond W and b).
     */
    long ownParameterFloats(long numLatents);

    /** @return a short name for messages. */
    String label();

    /** @return the tensors a model of this encoder holds beyond the dictionary and input bias, for messages. */
    default List<String> tensorNames() {
        java.util.LinkedHashMap<String, float[]> t = new java.util.LinkedHashMap<>();
        addTensors(1, t, new java.util.LinkedHashMap<>());
        return List.copyOf(t.keySet());
    }
}
