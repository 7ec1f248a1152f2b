package org.tribuo.usae.onnx.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.engine.EngineKind;
import org.tribuo.usae.train.AdamW;
import org.tribuo.usae.train.FusedEngineOptions;
import org.tribuo.usae.train.PlannedStep;
import org.tribuo.usae.train.TrainingEngine;
import org.tribuo.usae.train.StepResult;
import org.tribuo.usae.train.TrainingSettings;
import org.tribuo.usae.train.TrainingState;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs chunks of training steps (of every built-in recipe) as one ONNX Runtime call of the {@link ChunkGraph} model,
 * on the CPU or CUDA execution provider. The state is copied in (Java arrays to tensors) and out
 * (back into the same arrays) once per chunk; the Java API has no IO binding, so this is the only
 * way to keep the weights off the bus between steps. The session is built on the first chunk for
 * its row count (and rebuilt if a later chunk has a different one). One thread at a time.
 */
public final class OrtTrainingEngine implements TrainingEngine {
    private final EngineKind kind;
    private final TrainingSettings settings;
    private final int[] dims;
    private final int chunkSteps;
    private final boolean reducedPrecisionMatmul;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private OrtSession session;
    private OrtCUDAProviderOptions cudaOptions;
    private StepSettings config;

    /**
     * @param kind       ORT_CPU or ORT_CUDA.
     * @param settings   the run's settings (checked against the steps the graph implements: {@link StepSettings}).
     * @param dims       model widths.
     * @param options    chunk length; reduced precision (TF32) for ORT_CUDA only.
     * @throws IllegalArgumentException naming a setting the graph does not implement, or reduced
     *     precision on ORT_CPU (the CPU execution provider has no reduced-precision matmul).
     * @throws IllegalStateException when the CUDA execution provider cannot be loaded.
     */
    public OrtTrainingEngine(EngineKind kind, TrainingSettings settings, int[] dims, FusedEngineOptions options) {
        if (!kind.fused()) {
            throw new IllegalArgumentException("OrtTrainingEngine runs ORT_CPU or ORT_CUDA, got " + kind);
        }
        if (options.reducedPrecisionMatmul() && kind != EngineKind.ORT_CUDA) {
            throw new IllegalArgumentException("reduced-precision matmuls (ortReducedPrecision) need ORT_CUDA (TF32); "
                    + "the CPU execution provider computes float32 products only, got engine " + kind);
        }
        StepSettings.of(settings, dims, Math.max(2, settings.batchSize()));   // fail fast on unsupported settings
        this.kind = kind;
        this.settings = settings;
        this.dims = dims.clone();
        this.chunkSteps = options.chunkSteps();
        this.reducedPrecisionMatmul = options.reducedPrecisionMatmul();
        sessionOptions().close();                                            // fail fast when CUDA is missing
    }

    @Override
    public int chunkSteps() {
        return chunkSteps;
    }

    /** @return the ONNX model this engine runs for chunks of this many rows per step. */
    public ai.onnx.proto.OnnxMl.ModelProto model(int rows) {
        return ChunkGraph.build(StepSettings.of(settings, dims, rows));
    }

    @Override
    public List<StepResult> run(TrainingState state, List<Batch> batches, List<PlannedStep> plan) {
        int steps = batches.size();
        if (steps == 0 || steps != plan.size() || steps > chunkSteps) {
            throw new IllegalArgumentException("a chunk needs 1.." + chunkSteps + " batches and one planned step each; got "
                    + steps + " batches and " + plan.size() + " steps");
        }
        int rows = batches.get(0).rows();
        StepSettings c = configFor(rows);
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            in.put(ChunkGraph.SOURCES, OnnxTensor.createTensor(env, LongBuffer.wrap(sources(plan, c.numModels())),
                    new long[]{steps}));
            in.put(ChunkGraph.ADAM, OnnxTensor.createTensor(env, FloatBuffer.wrap(adamScalars(plan)), new long[]{steps, 3}));
            for (int j = 0; j < c.numModels(); j++) {
                in.put(ChunkGraph.batchInput(j), OnnxTensor.createTensor(env, stack(batches, j, rows),
                        new long[]{steps, rows, dims[j]}));
            }
            List<StateLayout.Slot> slots = ChunkGraph.slots(c);
            for (StateLayout.Slot s : slots) {
                float[] a = s.array(state);
                if (a.length != Arrays.stream(s.dims()).reduce(1, (x, y) -> x * y)) {
                    throw new IllegalArgumentException("model " + s.model() + " tensor '" + s.key() + "' has " + a.length
                            + " values, expected shape " + Arrays.toString(s.dims()));
                }
                in.put(s.inputName(), OnnxTensor.createTensor(env, FloatBuffer.wrap(a), s.dims()));
            }
            try (OrtSession.Result r = session.run(in)) {
                for (StateLayout.Slot s : slots) {
                    if (s.kind() != StateLayout.Kind.COUNTERS) {       // the loop updates counters from firing
                        floats(r, s.outputName()).get(s.array(state));
                    }
                }
                return outputs(r, plan, c.numModels(), c.numLatents(), StateLayout.trainable(c.architecture()));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime (" + kind + ") failed to run a training chunk of " + steps
                    + " steps x " + rows + " rows: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private StepSettings configFor(int rows) {
        if (config != null && config.rows() == rows) {
            return config;
        }
        StepSettings c = StepSettings.of(settings, dims, rows);
        closeSession();
        try (OrtSession.SessionOptions opts = sessionOptions()) {
            session = env.createSession(ChunkGraph.build(c).toByteArray(), opts);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime (" + kind + ") rejected the training graph: " + e.getMessage(), e);
        }
        config = c;
        return c;
    }

    private OrtSession.SessionOptions sessionOptions() {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        if (kind == EngineKind.ORT_CUDA) {
            try {
                if (cudaOptions == null) {
                    // kept open while sessions are created from it; closed with the engine
                    cudaOptions = new OrtCUDAProviderOptions(0);
                    // ORT's CUDA default is use_tf32 = 1; full float32 unless asked, so results match the CPU engines
                    cudaOptions.add("use_tf32", reducedPrecisionMatmul ? "1" : "0");
                }
                opts.addCUDA(cudaOptions);
            } catch (OrtException | RuntimeException | LinkageError e) {
                opts.close();
                throw new IllegalStateException("engine ORT_CUDA needs the CUDA execution provider (build with "
                        + "mvn -Pgpu, CUDA 12 and cuDNN 9 on the host); ONNX Runtime has " + OrtEnvironment.getAvailableProviders()
                        + ": " + e.getMessage(), e);
            }
        }
        return opts;
    }

    /** The step's source for the one-source dispatch (unused when every model is a source). */
    private static long[] sources(List<PlannedStep> plan, int numModels) {
        long[] out = new long[plan.size()];
        for (int q = 0; q < out.length; q++) {
            for (int s : plan.get(q).sources()) {
                if (s < 0 || s >= numModels) {
                    throw new IllegalArgumentException("step " + q + " has source model " + s + ", expected 0.." + (numModels - 1));
                }
            }
            out[q] = plan.get(q).sources()[0];
        }
        return out;
    }

    /**
     * Each step's AdamW scalars, one set per step: the graph updates the step's sources with them, so every model the
     * step updates must share them (the same learning rate and step count).
     */
    private static float[] adamScalars(List<PlannedStep> plan) {
        float[] out = new float[plan.size() * 3];
        for (int q = 0; q < plan.size(); q++) {
            PlannedStep p = plan.get(q);
            AdamW.StepScalars first = p.adam()[p.sources()[0]];
            for (int t = 0; t < p.adam().length; t++) {
                if (p.adam()[t] != null && !p.adam()[t].equals(first)) {
                    throw new IllegalStateException("step " + q + " of the chunk updates model " + t + " with other AdamW "
                            + "scalars than its first source; the fused graph shares one set per step");
                }
            }
            out[3 * q] = first.decay();
            out[3 * q + 1] = first.stepSize();
            out[3 * q + 2] = first.invBc2Sqrt();
        }
        return out;
    }

    /** {@code [S x rows x d]} of model j, in a direct buffer (ORT reads it without a copy). */
    private FloatBuffer stack(List<Batch> batches, int model, int rows) {
        FloatBuffer fb = ByteBuffer.allocateDirect(batches.size() * rows * dims[model] * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int q = 0; q < batches.size(); q++) {
            Batch b = batches.get(q);
            if (b.rows() != rows || b.numModels() != dims.length || b.dims()[model] != dims[model]) {
                throw new IllegalArgumentException("batch " + q + " of the chunk has " + b.rows() + " rows and widths "
                        + Arrays.toString(b.dims()) + "; expected " + rows + " rows and " + Arrays.toString(dims));
            }
            fb.put(b.x()[model]);
        }
        return fb.rewind();
    }

    private static List<StepResult> outputs(OrtSession.Result r, List<PlannedStep> plan, int numModels, int m,
                                            List<String> trainable) throws OrtException {
        float[] loss = array(r, "loss");
        float[] recon = array(r, "recon");
        float[] aux = array(r, "aux");
        float[] l0 = array(r, "mean_l0");
        float[] fired = array(r, "fired");                              // [S x M x m]
        List<StepResult> out = new ArrayList<>(plan.size());
        for (int q = 0; q < plan.size(); q++) {
            // the graph steps every trainable tensor of each updated model
            List<List<String>> updated = new ArrayList<>();
            for (int t = 0; t < numModels; t++) {
                updated.add(plan.get(q).updates(t) ? trainable : List.of());
            }
            boolean[][] f = new boolean[numModels][];
            for (int s : plan.get(q).sources()) {
                f[s] = new boolean[m];
                for (int j = 0; j < m; j++) {
                    f[s][j] = fired[(q * numModels + s) * m + j] > 0;
                }
            }
            out.add(new StepResult(loss[q], recon[q], aux[q], l0[q], f, updated));
        }
        return out;
    }

    private static FloatBuffer floats(OrtSession.Result r, String name) throws OrtException {
        return ((OnnxTensor) r.get(name).orElseThrow(() -> new IllegalStateException("graph output '" + name
                + "' missing"))).getFloatBuffer();
    }

    private static float[] array(OrtSession.Result r, String name) throws OrtException {
        FloatBuffer fb = floats(r, name);
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
            }
            session = null;
            config = null;
        }
    }

    @Override
    public void close() {
        closeSession();
        if (cudaOptions != null) {
            cudaOptions.close();
            cudaOptions = null;
        }
    }
}
