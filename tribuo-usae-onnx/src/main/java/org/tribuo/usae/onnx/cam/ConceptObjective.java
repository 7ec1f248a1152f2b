package org.tribuo.usae.onnx.cam;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.usae.onnx.autodiff.GradientException;
import org.tribuo.usae.onnx.autodiff.GraphEmitter;
import org.tribuo.usae.onnx.autodiff.ShapeProbe;
import org.tribuo.usae.onnx.extract.Activation;
import org.tribuo.usae.onnx.extract.TokenGrid;
import org.tribuo.usae.onnx.extract.TokenPolicy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The activation-maximisation objective of one model as one ONNX graph, built on the backbone's own graph:
 * <pre>
 * pixels [B, 3, H, W] in [0, 1], RGB
 *   -> 1x1 Conv: the model's input normalisation (and BGR swap)      -> the backbone's input
 *   -> backbone up to the tap                                         [B, C, h, w] or [B, T, C]
 *   -> tokens [B, T_in, C] -> token map R [T_out x T_in] (drop, resample; the TokenPolicy as a matrix)
 *   -> concept pre-activation per token: tokens . direction + offset  [B, T_out, 1]
 *   -> per_image: mean over tokens  [B, 1];  objective: mean over tokens and images  [1, 1]
 * </pre>
 * The token map is found by applying the extraction's {@link TokenPolicy} to one-hot taps, so the graph
 * extracts exactly the tokens the USAE was trained on.
 *
 * @param model      the serialized objective model.
 * @param pixels     its input name.
 * @param pixelShape {@code [B, 3, H, W]}.
 * @param objective  output name, {@code [1, 1]}.
 * @param perImage   output name, {@code [B, 1]}.
 * @param tokens     tokens per image after the token map.
 */
public record ConceptObjective(byte[] model, String pixels, long[] pixelShape, String objective, String perImage,
                               int tokens) {
    /** Input name of the objective graphs. */
    public static final String PIXELS = "cam/pixels";

    /**
     * Builds the objective graph.
     *
     * @param label         how errors name the backbone.
     * @param backbone      the serialized backbone model.
     * @param tap           the tapped tensor the USAE was trained on.
     * @param policy        the extraction's token policy for that tap.
     * @param normalization the backbone's input normalisation for [0, 1] pixels.
     * @param readout       the concept's folded encoder row.
     * @param batch         images per evaluation (crops per step).
     * @param height        model input height.
     * @param width         model input width.
     * @return the graph and its names.
     */
    public static ConceptObjective build(String label, byte[] backbone, String tap, TokenPolicy policy,
                                         PixelNormalization normalization, ConceptReadout readout, int batch,
                                         int height, int width) {
        OnnxMl.ModelProto mp;
        try {
            mp = OnnxMl.ModelProto.parseFrom(backbone);
        } catch (InvalidProtocolBufferException e) {
            throw new GradientException(label + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        OnnxMl.GraphProto g = mp.getGraph();
        Set<String> inits = new HashSet<>();
        g.getInitializerList().forEach(t -> inits.add(t.getName()));
        List<OnnxMl.ValueInfoProto> feeds = g.getInputList().stream().filter(v -> !inits.contains(v.getName())).toList();
        if (feeds.size() != 1) {
            throw new GradientException(label + ": activation maximisation needs a backbone with one image input, it has "
                    + feeds.stream().map(OnnxMl.ValueInfoProto::getName).toList());
        }
        String input = feeds.get(0).getName();
        long[] pixelShape = {batch, 3, height, width};
        ShapeProbe probe = ShapeProbe.run(label, mp, input, pixelShape);
        if (!probe.shapes().containsKey(tap)) {
            throw new GradientException(label + ": no tensor '" + tap + "' to tap");
        }
        long[] tapShape = probe.shape(tap);

        Set<String> taken = new HashSet<>(probe.shapes().keySet());
        taken.add(PIXELS);
        int opset = (int) mp.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()
                || o.getDomain().equals("ai.onnx")).findFirst().orElseThrow().getVersion();
        GraphEmitter head = new GraphEmitter(opset, "cam/in/", taken);
        float[] w = new float[9];
        float[] b = new float[3];
        for (int o = 0; o < 3; o++) {
            int src = normalization.bgr() ? 2 - o : o;
            w[o * 3 + src] = 1f / normalization.std()[o];
            b[o] = -normalization.mean()[o] / normalization.std()[o];
        }
        String normed = head.op("Conv", List.of(PIXELS, head.floats(w, 3, 3, 1, 1), head.floats(b, 3)),
                GraphEmitter.ints("kernel_shape", 1, 1));
        head.nodes().add(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("cam/in/feed")
                .addInput(normed).addOutput(input).build());

        GraphEmitter tail = new GraphEmitter(opset, "cam/out/", taken);
        TokenLayout layout = TokenLayout.of(policy, tapShape, label, tap);
        String tokens = layout.toTokens(tail, tap);
        if (!layout.identity()) {
            tokens = tail.op("MatMul", tail.floats(layout.map(), layout.tokensOut(), layout.tokensIn()), tokens);
        }
        int d = layout.channels();
        if (d != readout.direction().length) {
            throw new GradientException(label + ": tap '" + tap + "' gives " + d + "-wide tokens but the USAE model"
                    + " expects width " + readout.direction().length);
        }
        int t = layout.tokensOut();
        String pre = tail.op("Add", tail.op("MatMul", tokens, tail.floats(readout.direction(), d, 1)),
                tail.scalar((float) readout.offset()));
        float[] meanT = new float[t];
        java.util.Arrays.fill(meanT, 1f / t);
        String perImage = tail.op("MatMul", tail.reshape(pre, new long[]{batch, t}), tail.floats(meanT, t, 1));
        float[] meanB = new float[batch];
        java.util.Arrays.fill(meanB, 1f / batch);
        String objective = tail.op("MatMul", tail.reshape(perImage, new long[]{1, batch}), tail.floats(meanB, batch, 1));

        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearInput().clearOutput().clearNode();
        g.getInputList().stream().filter(v -> !v.getName().equals(input)).forEach(gb::addInput);
        gb.addInput(floatInfo(PIXELS, pixelShape));
        gb.addAllNode(head.nodes()).addAllNode(g.getNodeList()).addAllNode(tail.nodes())
                .addAllInitializer(head.initializers()).addAllInitializer(tail.initializers())
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(objective))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(perImage));
        byte[] bytes = mp.toBuilder().setGraph(gb).build().toByteArray();
        return new ConceptObjective(bytes, PIXELS, pixelShape, objective, perImage, t);
    }

    static OnnxMl.ValueInfoProto floatInfo(String name, long[] shape) {
        OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
        for (long dim : shape) {
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }

    /** How a tap becomes {@code [B, T_in, C]} tokens, and the token map of the policy. */
    record TokenLayout(TokenPolicy.Layout layout, long[] tapShape, int tokensIn, int channels, int tokensOut,
                       float[] map, boolean identity) {

        static TokenLayout of(TokenPolicy policy, long[] tapShape, String label, String tap) {
            int rank = tapShape.length;
            int tin;
            int c;
            switch (policy.layout()) {
                case TOKENS -> {
                    require(rank == 3, label, tap, tapShape, "[B, T, C]");
                    tin = (int) tapShape[1];
                    c = (int) tapShape[2];
                }
                case NCHW -> {
                    require(rank == 4, label, tap, tapShape, "[B, C, H, W]");
                    tin = (int) (tapShape[2] * tapShape[3]);
                    c = (int) tapShape[1];
                }
                default -> {
                    require(rank == 4, label, tap, tapShape, "[B, H, W, C]");
                    tin = (int) (tapShape[1] * tapShape[2]);
                    c = (int) tapShape[3];
                }
            }
            // Column j of the map: the tokens the policy makes of a one-channel tap that is 1 at input token j.
            float[][] cols = new float[tin][];
            for (int j = 0; j < tin; j++) {
                float[] oneHot = new float[tin];
                oneHot[j] = 1f;
                long[] shape = switch (policy.layout()) {
                    case TOKENS -> new long[]{1, tin, 1};
                    case NCHW -> new long[]{1, 1, tapShape[2], tapShape[3]};
                    default -> new long[]{1, tapShape[1], tapShape[2], 1};
                };
                TokenGrid grid = policy.apply(new Activation(tap, shape, oneHot));
                cols[j] = grid.data();
            }
            int tout = cols[0].length;
            float[] map = new float[tout * tin];
            boolean identity = tout == tin;
            for (int j = 0; j < tin; j++) {
                for (int i = 0; i < tout; i++) {
                    map[i * tin + j] = cols[j][i];
                    identity &= cols[j][i] == (i == j ? 1f : 0f);
                }
            }
            return new TokenLayout(policy.layout(), tapShape, tin, c, tout, map, identity);
        }

        private static void require(boolean ok, String label, String tap, long[] shape, String expected) {
            if (!ok) {
                throw new GradientException(label + ": tap '" + tap + "' has shape " + java.util.Arrays.toString(shape)
                        + " but the token policy expects " + expected);
            }
        }

        String toTokens(GraphEmitter e, String tap) {
            long b = tapShape[0];
            return switch (layout) {
                case TOKENS -> tap;
                case NCHW -> e.op("Transpose", e.reshape(tap, new long[]{b, channels, tokensIn}),
                        GraphEmitter.ints("perm", 0, 2, 1));
                default -> e.reshape(tap, new long[]{b, tokensIn, channels});
            };
        }
    }
}
