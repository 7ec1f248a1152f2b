package org.tribuo.usae.onnx.engine;

import org.tribuo.usae.sae.AffineEncoder;
import org.tribuo.usae.sae.BatchNormEncoder;
import org.tribuo.usae.sae.Encoder;
import org.tribuo.usae.sae.ModelParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step graph's emitters of the encoder blocks, looked up by the block's class (as {@link AuxEmitters}), so
 * {@link StepGraph} never asks which encoder it emits. An emitter writes a model's forward pass in training mode
 * ({@link Emitter#forward}); the pass it returns writes the backward from {@code dL/dPre} and the buffers a step
 * updates (BatchNorm's running statistics). A block without an emitter cannot run on the ORT engine.
 */
final class EncoderEmitters {
    /** Emits one encoder. */
    interface Emitter {
        /**
         * @param ops    the graph pieces.
         * @param x      {@code [rows x d]} the model's standardised batch.
         * @param params the model's state, key to value before the step.
         * @return the forward pass, whose {@link Pass#pre()} is {@code [rows x m]}.
         */
        Pass forward(StepOps ops, String x, Map<String, String> params);
    }

    /** One model's forward pass in a step, which knows how to emit its backward. */
    interface Pass {
        /** @return {@code [rows x m]} the pre-activations the sparsity reads. */
        String pre();

        /**
         * @param gPre {@code [rows x m]} dL/dPre.
         * @return the gradients of the encoder's own tensors, in the order clipping sums them, and what the pass
         *     adds to the input bias's gradient (null when it does not read the input bias).
         */
        Gradients backward(String gPre);

        /**
         * Writes the buffers a training step updates into the model's next state (none for most encoders).
         * @param out the model's next state.
         */
        default void updateBuffers(Map<String, String> out) {
        }
    }

    /**
     * @param own       tensor name to gradient, in the order {@code ParameterUpdate} clips them.
     * @param inputBias dL/d(input bias) through the encoder {@code [d]}, or null.
     */
    record Gradients(Map<String, String> own, String inputBias) {
    }

    private static final Map<Class<? extends Encoder>, Emitter> EMITTERS = Map.of(
            AffineEncoder.class, Affine::new,
            BatchNormEncoder.class, BatchNorm::new);

    private EncoderEmitters() {
    }

    /** @param block an encoder. @return whether the step graph can emit it. */
    static boolean supports(Encoder block) {
        return EMITTERS.containsKey(block.getClass());
    }

    /**
     * @param block an encoder ({@link #supports} it).
     * @return its emitter.
     */
    static Emitter of(Encoder block) {
        Emitter e = EMITTERS.get(block.getClass());
        if (e == null) {
            throw new IllegalArgumentException("the ORT training graph has no emitter for the encoder " + block.label());
        }
        return e;
    }

    /**
     * {@link AffineEncoder}: {@code Pre = (X - b) W^T + c}. Backward: {@code dW = gPre^T (X - b)},
     * {@code dc = colsum(gPre)}, and {@code d(X - b)/db = -1} gives the input bias {@code -colsum(gPre) W}.
     */
    private static final class Affine implements Pass {
        private final GraphBuilder g;
        private final Map<String, String> params;
        private final String input;
        private final String pre;

        Affine(StepOps ops, String x, Map<String, String> params) {
            this.g = ops.graph();
            this.params = params;
            this.input = g.sub(x, params.get(ModelParameters.INPUT_BIAS));
            this.pre = g.gemmBiasTransB(input, params.get(ModelParameters.ENC_WEIGHT),
                    params.get(ModelParameters.ENC_BIAS));
        }

        @Override
        public String pre() {
            return pre;
        }

        @Override
        public Gradients backward(String gPre) {
            Map<String, String> own = new LinkedHashMap<>();
            own.put(ModelParameters.ENC_WEIGHT, g.gemm(gPre, input, true, false));
            String gLatentBias = g.reduceSum(gPre, true, 0);                              // [1 x m]
            own.put(ModelParameters.ENC_BIAS, g.reduceSum(gLatentBias, false, 0));
            String gPreBias = g.reduceSum(g.gemm(gLatentBias, params.get(ModelParameters.ENC_WEIGHT), false, false),
                    false, 0);
            return new Gradients(own, g.neg(gPreBias));
        }
    }

    /**
     * {@link BatchNormEncoder} in train mode, as PyTorch's BatchNorm1d: {@code H = X W^T + b},
     * {@code Xh = (H - mean) / sqrt(var + 1e-5)} with the batch's biased variance, {@code Pre = gamma Xh + beta}.
     * Backward: {@code dgamma = colsum(gPre Xh)}, {@code dbeta = colsum(gPre)},
     * {@code dH = gamma invStd (gPre - dbeta/rows - Xh dgamma/rows)}, {@code dW = dH^T X}, {@code db = colsum(dH)}.
     * The running statistics move by momentum 0.1 towards the batch mean and the unbiased variance.
     */
    private static final class BatchNorm implements Pass {
        private static final float EPS = 1e-5f;
        private static final float MOMENTUM = 0.1f;

        private final GraphBuilder g;
        private final int rows;
        private final Map<String, String> params;
        private final String x;
        private final String mean;
        private final String var;
        private final String invStd;
        private final String xh;
        private final String pre;

        BatchNorm(StepOps ops, String x, Map<String, String> params) {
            this.g = ops.graph();
            this.rows = ops.rows();
            this.params = params;
            this.x = x;
            String h = g.gemmBiasTransB(x, params.get(ModelParameters.ENC_WEIGHT), params.get(ModelParameters.ENC_BIAS));
            this.mean = g.reduceMean(h, false, 0);
            String centred = g.sub(h, mean);
            this.var = g.reduceMean(g.mul(centred, centred), false, 0);
            this.invStd = g.div(g.scalar(1f), g.sqrt(g.add(var, g.scalar(EPS))));
            this.xh = g.mul(centred, invStd);
            this.pre = g.add(g.mul(xh, params.get(ModelParameters.BN_WEIGHT)), params.get(ModelParameters.BN_BIAS));
        }

        @Override
        public String pre() {
            return pre;
        }

        @Override
        public Gradients backward(String gPre) {
            String dGamma = g.reduceSum(g.mul(gPre, xh), false, 0);
            String dBeta = g.reduceSum(gPre, false, 0);
            String invRows = g.scalar(1f / rows);
            String gH = g.mul(g.mul(params.get(ModelParameters.BN_WEIGHT), invStd),
                    g.sub(g.sub(gPre, g.mul(dBeta, invRows)), g.mul(xh, g.mul(dGamma, invRows))));
            Map<String, String> own = new LinkedHashMap<>();
            own.put(ModelParameters.ENC_WEIGHT, g.gemm(gH, x, true, false));
            own.put(ModelParameters.ENC_BIAS, g.reduceSum(gH, false, 0));
            own.put(ModelParameters.BN_WEIGHT, dGamma);
            own.put(ModelParameters.BN_BIAS, dBeta);
            return new Gradients(own, null);
        }

        @Override
        public void updateBuffers(Map<String, String> out) {
            float keep = 1 - MOMENTUM;
            String unbiased = g.mul(var, g.scalar((float) rows / (rows - 1)));
            out.put(ModelParameters.BN_RUNNING_MEAN, g.add(g.mul(params.get(ModelParameters.BN_RUNNING_MEAN),
                    g.scalar(keep)), g.mul(mean, g.scalar(MOMENTUM))));
            out.put(ModelParameters.BN_RUNNING_VAR, g.add(g.mul(params.get(ModelParameters.BN_RUNNING_VAR),
                    g.scalar(keep)), g.mul(unbiased, g.scalar(MOMENTUM))));
        }
    }
}
