package org.tribuo.usae.onnx.engine;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fused training model: an ONNX {@code Loop} over the S steps of a chunk whose loop-carried
 * values are every model's parameters, BatchNorm running statistics and AdamW moments, so the state
 * crosses to the device once per chunk, not once per step.
 *
 * <pre>
 * input  sources        int64 [S]              the source model of each step (unused by SPARC: all are)
 * input  adam           float [S x 3]          each step's AdamW decay, stepSize, 1/sqrt(1 - beta2^t)
 * input  x&lt;j&gt;           float [S x rows x d_j] each step's standardised batch of model j
 * input  m&lt;j&gt;.&lt;key&gt;     float                  the carried state ({@link StateLayout})
 * output m&lt;j&gt;.&lt;key&gt;.final                        the state after the chunk
 * output loss, recon, aux, mean_l0   float [S] and fired float [S x M x m]: per-step statistics
 * </pre>
 * Each iteration gathers its step's rows and scalars. Recipes with one random source per step (FAITHFUL, FAST,
 * AFFINE_FAST) dispatch on the step's source through nested {@code If} nodes, one branch per model: one source per
 * step keeps the official sampling (a random model every step) while the models' shapes differ, which one
 * branch-free graph could not express. Recipes that encode every model every step (SPARC, ALIGNED) need no
 * dispatch. Each branch is the composed step, {@link StepGraph}.
 * Opset {@value #OPSET}.
 */
final class ChunkGraph {
    static final int OPSET = 13;
    static final String SOURCES = "sources";
    static final String ADAM = "adam";
    static final List<String> STATS = List.of("loss", "recon", "aux", "mean_l0", "fired");

    private ChunkGraph() {
    }

    /** @param model model index. @return the input name of its stacked batches. */
    static String batchInput(int model) {
        return "x" + model;
    }

    /** @param c constants. @return every model's slots in carried order. */
    static List<StateLayout.Slot> slots(StepSettings c) {
        List<StateLayout.Slot> all = new ArrayList<>();
        for (int j = 0; j < c.numModels(); j++) {
            all.addAll(StateLayout.slots(c, j));
        }
        return all;
    }

    /** @param c constants. @return the ONNX model. */
    static ModelProto build(StepSettings c) {
        GraphBuilder.Names names = new GraphBuilder.Names();
        GraphBuilder main = new GraphBuilder(names);
        List<StateLayout.Slot> slots = slots(c);
        main.input(SOURCES, DataType.INT64, -1);
        main.input(ADAM, DataType.FLOAT, -1, 3);
        for (int j = 0; j < c.numModels(); j++) {
            main.input(batchInput(j), DataType.FLOAT, -1, c.rows(), c.dims()[j]);
        }
        List<String> loopInputs = new ArrayList<>();
        String trips = main.gatherScalarIndex(main.op("Shape", "shape", List.of(SOURCES)), main.scalarLong(0));
        loopInputs.add(trips);
        loopInputs.add("");
        for (StateLayout.Slot s : slots) {
            loopInputs.add(main.input(s.inputName(), DataType.FLOAT, s.dims()));
        }
        List<String> loopOutputs = new ArrayList<>();
        for (StateLayout.Slot s : slots) {
            loopOutputs.add(s.outputName());
        }
        loopOutputs.addAll(STATS);
        main.opNamed("Loop", loopInputs, loopOutputs, GraphBuilder.graphAttr("body", body(c, names, slots)));
        for (String o : loopOutputs) {
            main.output(o, DataType.FLOAT);
        }
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("tribuo-usae").setDomain("org.tribuo.usae")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(main.build("usae_fused_training")).build();
    }

    private static ai.onnx.proto.OnnxMl.GraphProto body(StepSettings c, GraphBuilder.Names names,
                                                         List<StateLayout.Slot> slots) {
        GraphBuilder b = new GraphBuilder(names);
        String iter = b.input(names.fresh("iter"), DataType.INT64);
        String condIn = b.input(names.fresh("cond"), DataType.BOOL);
        List<Map<String, String>> state = new ArrayList<>();
        for (int j = 0; j < c.numModels(); j++) {
            state.add(new LinkedHashMap<>());
        }
        for (StateLayout.Slot s : slots) {
            state.get(s.model()).put(s.key(), b.input(names.fresh("carried_m" + s.model() + "_" + s.key()), DataType.FLOAT,
                    s.dims()));
        }
        String source = b.gatherScalarIndex(SOURCES, iter);
        String adamRow = b.gatherScalarIndex(ADAM, iter);
        String[] adam = new String[3];
        for (int q = 0; q < 3; q++) {
            adam[q] = b.gatherScalarIndex(adamRow, b.scalarLong(q));
        }
        String[] x = new String[c.numModels()];
        for (int j = 0; j < c.numModels(); j++) {
            x[j] = b.gatherScalarIndex(batchInput(j), iter);
        }
        List<String> results = c.oneSource() ? dispatch(b, c, 0, source, slots, state, x, adam)
                : allSourcesStep(b, c, slots, state, x, adam);
        b.output(b.identity(condIn), DataType.BOOL);
        for (String r : results) {
            b.output(r, DataType.FLOAT);
        }
        return b.build("step");
    }

    /** Emits "if source == from then step(from) else dispatch(from + 1)"; returns state then stats. */
    private static List<String> dispatch(GraphBuilder g, StepSettings c, int from, String source,
                                         List<StateLayout.Slot> slots, List<Map<String, String>> state, String[] x,
                                         String[] adam) {
        if (from == c.numModels() - 1) {
            return step(g, c, from, slots, state, x, adam);
        }
        GraphBuilder then = new GraphBuilder(g.names());
        for (String r : step(then, c, from, slots, state, x, adam)) {
            then.output(r, DataType.FLOAT);
        }
        GraphBuilder otherwise = new GraphBuilder(g.names());
        for (String r : dispatch(otherwise, c, from + 1, source, slots, state, x, adam)) {
            otherwise.output(r, DataType.FLOAT);
        }
        String cond = g.op("Equal", "is_source", List.of(source, g.scalarLong(from)));
        List<String> out = new ArrayList<>();
        for (int q = 0; q < slots.size() + STATS.size(); q++) {
            out.add(g.names().fresh("step_out"));
        }
        g.opNamed("If", List.of(cond), out, GraphBuilder.graphAttr("then_branch", then.build("source_" + from)),
                GraphBuilder.graphAttr("else_branch", otherwise.build("not_source_" + from)));
        return out;
    }

    /** One step with every model a source; returns the new state in slot order, then the statistics. */
    private static List<String> allSourcesStep(GraphBuilder g, StepSettings c, List<StateLayout.Slot> slots,
                                               List<Map<String, String>> state, String[] x, String[] adam) {
        return ordered(StepGraph.emit(g, c, java.util.stream.IntStream.range(0, c.numModels()).toArray(), state,
                x, adam), slots);
    }

    /** One step with source s; returns the new state in slot order, then the statistics. */
    private static List<String> step(GraphBuilder g, StepSettings c, int s, List<StateLayout.Slot> slots,
                                     List<Map<String, String>> state, String[] x, String[] adam) {
        return ordered(StepGraph.emit(g, c, new int[]{s}, state, x, adam), slots);
    }

    private static List<String> ordered(StepValues v, List<StateLayout.Slot> slots) {
        List<String> out = new ArrayList<>();
        for (StateLayout.Slot slot : slots) {
            out.add(v.state().get(slot.model()).get(slot.key()));
        }
        out.addAll(List.of(v.loss(), v.recon(), v.aux(), v.meanL0(), v.fired()));
        return out;
    }
}
