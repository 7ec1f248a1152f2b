package org.tribuo.usae.engine;

import org.tribuo.usae.data.Batch;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.sae.Sparsity;
import org.tribuo.usae.sae.TopKSparsity;
import org.tribuo.usae.sae.UsaeParameters;

/**
 * The float32 CPU engine: the mathematics of {@link ReferenceEngine} with dense encoder products
 * through a {@link Gemm} (ND4J/OpenBLAS when large), TopK per row, decoding by gathering k
 * dictionary rows, and a backward that stays sparse wherever the model allows it.
 *
 * <p>An instance keeps reusable work arrays and native buffers, so it must be used by one thread
 * at a time. The gradients a training step returns are the engine's own buffers, valid until its next
 * {@link #forwardBackward} call (the trainer applies them at once; a step then allocates no gradient
 * memory); statistics and codes are fresh arrays owned by the caller.
 */
public final class CpuEngine implements Engine {
    private final Gemm gemm;
    private final Scratch scratch = new Scratch();

    /**
     * @return which sparse row kernels this JVM runs: "vector (N lanes)" when started with
     *     {@code --add-modules jdk.incubator.vector} (and {@code usae.vector} not false), else "scalar".
     */
    public static String rowKernels() {
        return RowDots.describe();
    }

    /** An engine that uses ND4J for large products when it loads, plain Java otherwise. */
    public CpuEngine() {
        this(new AutoGemm());
    }

    /** @param gemm the matrix multiply to use. */
    public CpuEngine(Gemm gemm) {
        VectorSwitch.requireValid();
        this.gemm = gemm;
    }

    @Override
    public StepOutput forwardBackward(UsaeParameters params, Batch batch, int[] sources, Objective objective,
                                      long[][] stepsSinceFired) {
        return new CpuTrainingStep(gemm, scratch, params, batch, sources, objective, stepsSinceFired).run();
    }

    @Override
    public SparseCodes encode(UsaeParameters params, int model, float[] x, int rows) {
        Architecture arch = params.architecture();
        float[] pre = evalPre(params, model, x, rows);
        SlotCodes c = SlotCodes.zeros(scratch, "evalcodes", rows, arch.slots());
        Selection.run(arch.sparsityBlock().atInference(params, new int[]{model}), new float[][]{pre},
                arch.numLatents(), c);
        return toSparseCodes(c);
    }

    @Override
    public SparseCodes[] encodeJoint(UsaeParameters params, Batch batch) {
        Architecture arch = params.architecture();
        int numModels = params.numModels();
        int m = arch.numLatents();
        int slots = arch.slots();
        int rows = batch.rows();
        float[][] pre = new float[numModels][];
        SlotCodes[] codes = new SlotCodes[numModels];
        int[] models = new int[numModels];
        for (int i = 0; i < numModels; i++) {
            // copy: the scratch pre-activation buffer is reused by the next model's pass
            pre[i] = evalPre(params, i, batch.x()[i], rows).clone();
            codes[i] = new SlotCodes(rows, slots, new int[rows * slots], new float[rows * slots], null);
            models[i] = i;
        }
        Selection.run(arch.sparsityBlock().atInference(params, models), pre, m, codes);
        SparseCodes[] out = new SparseCodes[numModels];
        for (int i = 0; i < numModels; i++) {
            out[i] = new SparseCodes(rows, slots, codes[i].val, codes[i].idx);
        }
        return out;
    }

    @Override
    public void decode(UsaeParameters params, SparseCodes codes, int target, float[] out) {
        Architecture arch = params.architecture();
        ModelParameters p = params.model(target);
        float[] decoder = arch.dictionary().normalization().decoder(p.dictionary(), p.numLatents(), p.dim(),
                scratch.floats("evaldec", p.numLatents() * p.dim()));
        SlotCodes c = new SlotCodes(codes.rows(), codes.k(), codes.indices(), codes.values(), null);
        SparseDecode.decode(c, decoder, p.dim(), arch.decoderBias() ? p.inputBias() : null, out);
    }

    /** Eval-mode (running BN statistics) pre-activations {@code [rows x m]}, in a scratch buffer. */
    private float[] evalPre(UsaeParameters params, int model, float[] x, int rows) {
        return new CpuEncoderPass(params.model(model), params.architecture().encoderBlock(), x, rows, false, gemm,
                scratch, "eval").pre;
    }

    private static SparseCodes toSparseCodes(SlotCodes c) {
        return new SparseCodes(c.rows, c.slots, c.val.clone(), c.idx.clone());
    }
}
