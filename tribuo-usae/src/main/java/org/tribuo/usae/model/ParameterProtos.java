package org.tribuo.usae.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import org.tribuo.usae.protos.ArchitectureProto;
import org.tribuo.usae.protos.FloatTensorProto;
import org.tribuo.usae.protos.ModelParametersProto;
import org.tribuo.usae.protos.NamedTensorProto;
import org.tribuo.usae.protos.UsaeParametersProto;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts {@link UsaeParameters} to and from {@link UsaeParametersProto}: float32 tensors as
 * little-endian bytes, tensor order and names kept exactly. {@link #fromProto} checks everything it
 * reads and names the model and tensor in its errors.
 */
public final class ParameterProtos {
    private ParameterProtos() {}

    /**
     * @param params the parameters.
     * @return their protobuf form.
     */
    public static UsaeParametersProto toProto(UsaeParameters params) {
        Architecture a = params.architecture();
        UsaeParametersProto.Builder b = UsaeParametersProto.newBuilder().setArchitecture(ArchitectureProto.newBuilder()
                .setNumLatents(a.numLatents()).setK(a.k()).setEncoder(a.encoder().name())
                .setSparsity(a.sparsity().name()).setDecoderBias(a.decoderBias())
                .setDictionary(a.dictionary().name()).setSharedK(a.sharedK())
                .setMaxRowSlots(a.maxRowSlots()));
        for (ModelParameters p : params.models()) {
            ModelParametersProto.Builder mb = ModelParametersProto.newBuilder().setName(p.name()).setDim(p.dim())
                    .setMu(p.mu()).setSigma(p.sigma()).setBnBatchesTracked(p.bnBatchesTracked());
            p.trainable().forEach((name, v) -> mb.addTrainable(named(name, v, p.numLatents(), p.dim())));
            p.buffers().forEach((name, v) -> mb.addBuffers(named(name, v, p.numLatents(), p.dim())));
            b.addModels(mb);
        }
        return b.build();
    }

    /**
     * @param proto a protobuf form.
     * @return the parameters it holds.
     * @throws IllegalArgumentException naming the model and tensor on any inconsistency: an unknown enum
     *     name, a missing, unexpected or duplicate tensor, a shape other than the architecture's, a byte
     *     length other than 4 per element, or invalid standardisation.
     */
    public static UsaeParameters fromProto(UsaeParametersProto proto) {
        if (!proto.hasArchitecture()) {
            throw new IllegalArgumentException("UsaeParametersProto has no architecture");
        }
        Architecture arch = architecture(proto.getArchitecture());
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < proto.getModelsCount(); i++) {
            models.add(model(proto.getModels(i), i, arch));
        }
        return new UsaeParameters(arch, models);
    }

    private static Architecture architecture(ArchitectureProto a) {
        return new Architecture(a.getNumLatents(), a.getK(),
                enumOf(EncoderKind.class, "encoder", a.getEncoder()),
                enumOf(SparsityKind.class, "sparsity", a.getSparsity()),
                a.getDecoderBias(),
                enumOf(DictionaryConstraint.class, "dictionary", a.getDictionary()), a.getSharedK(),
                a.getMaxRowSlots());
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String field, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Architecture " + field + " '" + name + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()), e);
        }
    }

    private static ModelParameters model(ModelParametersProto mp, int index, Architecture arch) {
        String name = mp.getName();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Model #" + index + " has no name");
        }
        if (mp.getDim() < 1) {
            throw new IllegalArgumentException("Model '" + name + "' has dim " + mp.getDim() + ", must be >= 1");
        }
        // The tensor names an architecture needs do not depend on the width: a d=1 template gives them cheaply.
        ModelParameters template = new ModelParameters(name, 1, arch);
        Map<String, float[]> trainable = tensors(mp.getTrainableList(), template.trainable().keySet(), "trainable",
                name, arch.numLatents(), mp.getDim());
        Map<String, float[]> buffers = tensors(mp.getBuffersList(), template.buffers().keySet(), "buffer",
                name, arch.numLatents(), mp.getDim());
        if (!Double.isFinite(mp.getMu()) || !Double.isFinite(mp.getSigma()) || mp.getSigma() < 0) {
            throw new IllegalArgumentException("Model '" + name + "' has invalid standardisation mu=" + mp.getMu()
                    + ", sigma=" + mp.getSigma());
        }
        if (mp.getBnBatchesTracked() < 0) {
            throw new IllegalArgumentException("Model '" + name + "' has bn_batches_tracked "
                    + mp.getBnBatchesTracked() + " < 0");
        }
        return ModelParameters.of(name, mp.getDim(), arch.numLatents(), trainable, buffers, mp.getMu(), mp.getSigma(),
                mp.getBnBatchesTracked());
    }

    /** Decodes a tensor list in its stored order, requiring exactly the names the architecture needs. */
    private static Map<String, float[]> tensors(List<NamedTensorProto> list, Set<String> required, String kind,
                                                String model, int m, int d) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (NamedTensorProto t : list) {
            String tensor = t.getName();
            if (!required.contains(tensor)) {
                throw new IllegalArgumentException("Model '" + model + "' has unexpected " + kind + " tensor '" + tensor
                        + "', expected " + required);
            }
            if (out.containsKey(tensor)) {
                throw new IllegalArgumentException("Model '" + model + "' has " + kind + " tensor '" + tensor + "' twice");
            }
            if (!t.hasTensor()) {
                throw new IllegalArgumentException("Tensor '" + tensor + "' of model '" + model + "' has no data");
            }
            out.put(tensor, decode(t.getTensor(), shapeOf(tensor, m, d), model, tensor));
        }
        for (String tensor : required) {
            if (!out.containsKey(tensor)) {
                throw new IllegalArgumentException("Model '" + model + "' is missing " + kind + " tensor '" + tensor + "'");
            }
        }
        return out;
    }

    /** Row-major shape of a named tensor ({@link ModelParameters#shapeOf}). */
    static long[] shapeOf(String tensor, int m, int d) {
        return ModelParameters.shapeOf(tensor, m, d);
    }

    private static NamedTensorProto named(String name, float[] v, int m, int d) {
        ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        FloatTensorProto.Builder t = FloatTensorProto.newBuilder().setValues(UnsafeByteOperations.unsafeWrap(buf.array()));
        for (long s : shapeOf(name, m, d)) {
            t.addShape(s);
        }
        return NamedTensorProto.newBuilder().setName(name).setTensor(t).build();
    }

    private static float[] decode(FloatTensorProto t, long[] expectedShape, String model, String tensor) {
        long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
        if (!Arrays.equals(shape, expectedShape)) {
            throw new IllegalArgumentException("Tensor '" + tensor + "' of model '" + model + "' has shape "
                    + Arrays.toString(shape) + ", expected " + Arrays.toString(expectedShape));
        }
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        ByteString bytes = t.getValues();
        if (bytes.size() != n * Float.BYTES) {
            throw new IllegalArgumentException("Tensor '" + tensor + "' of model '" + model + "' has " + bytes.size()
                    + " bytes, expected " + n * Float.BYTES + " (" + n + " float32 values)");
        }
        float[] v = new float[(int) n];
        bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
