package org.tribuo.usae.train;

import org.tribuo.usae.engine.ParallelRange;

import java.util.Arrays;

/**
 * PyTorch's AdamW for one float32 tensor, in PyTorch's order of operations: decoupled weight decay
 * {@code p *= 1 - lr*wd}, then the Adam moment update and bias-corrected step. With wd = 0 it is
 * Adam. (Tribuo 4.3.2's Adam multiplies by the denominator instead of dividing, so it is not used.)
 */
public final class AdamW {
    private final float[] firstMoment;
    private final float[] secondMoment;
    private long steps;

    /** @param size the tensor's element count. */
    public AdamW(int size) {
        this.firstMoment = new float[size];
        this.secondMoment = new float[size];
    }

    /**
     * Restores state (checkpoints, tests).
     * @param firstMoment exp_avg.
     * @param secondMoment exp_avg_sq.
     * @param steps steps taken.
     * @return the optimiser state.
     */
    public static AdamW of(float[] firstMoment, float[] secondMoment, long steps) {
        AdamW a = new AdamW(firstMoment.length);
        System.arraycopy(firstMoment, 0, a.firstMoment, 0, firstMoment.length);
        System.arraycopy(secondMoment, 0, a.secondMoment, 0, secondMoment.length);
        a.steps = steps;
        return a;
    }

    /**
     * One update of {@code param} in place.
     * @param param the tensor.
     * @param grad its gradient.
     * @param lr learning rate.
     * @param hp betas, eps and weight decay.
     */
    public void step(float[] param, float[] grad, double lr, AdamWConfig hp) {
        steps++;
        apply(param, grad, scalars(lr, steps, hp), hp);
    }

    /**
     * One update of {@code param} in place with the given scalars, without counting it (the training loop records
     * the step: {@link #recordSteps}).
     * @param param the tensor.
     * @param grad its gradient.
     * @param sc the update's scalars ({@link #scalars} at the step count after the update).
     * @param hp betas, eps and weight decay.
     */
    public void apply(float[] param, float[] grad, StepScalars sc, AdamWConfig hp) {
        float decay = sc.decay();
        // 1 - beta in double, then rounded (PyTorch passes the Python double 1 - beta2 = 1e-3 as the
        // scalar); 1 - (float) 0.999 would be 1.3e-5 too small relative and bias exp_avg_sq
        float oneMinusB1 = (float) (1 - hp.beta1());
        float b2 = (float) hp.beta2();
        float oneMinusB2 = (float) (1 - hp.beta2());
        float stepSize = sc.stepSize();
        float invBc2Sqrt = sc.invBc2Sqrt();
        float eps = (float) hp.eps();
        boolean decays = hp.weightDecay() != 0;
        // element-wise, so split across the engine's pool with identical results. Rows the step did not
        // touch (zero gradient) are NOT skipped: their moments still decay and the parameter still moves by
        // the decayed first moment (and weight decay), so skipping them would be lazy Adam, another optimiser
        ParallelRange.forEach(param.length, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float g = grad[i];
                float p = decays ? param[i] * decay : param[i];
                float m = firstMoment[i] + (g - firstMoment[i]) * oneMinusB1;
                float v = secondMoment[i] * b2 + oneMinusB2 * g * g;
                firstMoment[i] = m;
                secondMoment[i] = v;
                float denom = (float) Math.sqrt(v) * invBc2Sqrt + eps;
                param[i] = p - stepSize * (m / denom);
            }
        });
    }

    /**
     * The scalars of one update, rounded to float exactly as {@link #step} uses them, so an engine
     * that runs AdamW elsewhere (an ONNX graph) applies the same numbers.
     *
     * @param decay      {@code 1 - lr * weightDecay}.
     * @param stepSize   {@code lr / (1 - beta1^t)}.
     * @param invBc2Sqrt {@code 1 / sqrt(1 - beta2^t)}.
     */
    public record StepScalars(float decay, float stepSize, float invBc2Sqrt) {
    }

    /**
     * @param lr learning rate of the update.
     * @param step the 1-based optimiser step count after the update (t in the bias corrections).
     * @param hp hyperparameters.
     * @return the update's scalars.
     */
    public static StepScalars scalars(double lr, long step, AdamWConfig hp) {
        if (step < 1) {
            throw new IllegalArgumentException("AdamW step count must be >= 1, got " + step);
        }
        double bc1 = 1 - Math.pow(hp.beta1(), step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(hp.beta2(), step));
        return new StepScalars((float) (1 - lr * hp.weightDecay()), (float) (lr / bc1), (float) (1 / bc2Sqrt));
    }

    /**
     * Counts updates applied by {@link #apply} or by an engine that wrote {@link #firstMoment()} and
     * {@link #secondMoment()} itself (the fused ORT steps).
     * @param n updates taken.
     */
    void recordSteps(long n) {
        steps += n;
    }

    public float[] firstMoment() { return firstMoment; }
    public float[] secondMoment() { return secondMoment; }
    public long steps() { return steps; }

    @Override
    public String toString() {
        return "AdamW(steps=" + steps + ", size=" + firstMoment.length + ")";
    }

    /** @param other another state. @return true if moments and step count are identical. */
    public boolean sameState(AdamW other) {
        return steps == other.steps && Arrays.equals(firstMoment, other.firstMoment)
                && Arrays.equals(secondMoment, other.secondMoment);
    }
}
