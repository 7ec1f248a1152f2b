package org.tribuo.usae.model;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.protos.ModelParametersProto;
import org.tribuo.usae.protos.NamedTensorProto;
import org.tribuo.usae.protos.UsaeParametersProto;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

class ParameterProtosTest {
    private static final Architecture BATCHNORM = new Architecture(8, 3, EncoderKind.BATCHNORM, SparsityKind.TOPK,
            false, DictionaryConstraint.ROW_NORMALIZED);
    private static final Architecture AFFINE_BIAS = new Architecture(6, 2, EncoderKind.AFFINE, SparsityKind.GLOBAL_TOPK,
            true, DictionaryConstraint.UNIT_NORM_PROJECTED);

    /** Random finite parameters over the full float range of exponents, with negative zero mixed in. */
    static UsaeParameters randomParams(Architecture arch, long seed, int... dims) {
        Random rng = new Random(seed);
        List<ModelParameters> models = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            ModelParameters p = new ModelParameters("model-" + i, dims[i], arch);
            fill(p.trainable(), rng);
            fill(p.buffers(), rng);
            p.setStandardization(rng.nextGaussian(), rng.nextDouble() + 0.1);
            p.setBnBatchesTracked(rng.nextInt(1_000_000));
            models.add(p);
        }
        return new UsaeParameters(arch, models);
    }

    private static void fill(Map<String, float[]> tensors, Random rng) {
        for (float[] v : tensors.values()) {
            for (int i = 0; i < v.length; i++) {
                float f;
                do {
                    f = Float.intBitsToFloat(rng.nextInt());
                } while (!Float.isFinite(f));
                v[i] = i % 17 == 0 ? -0.0f : f;
            }
        }
    }

    private static void assertSameParams(UsaeParameters expected, UsaeParameters actual) {
        assertEquals(expected.architecture(), actual.architecture());
        assertEquals(expected.names(), actual.names());
        for (int i = 0; i < expected.numModels(); i++) {
            ModelParameters e = expected.model(i);
            ModelParameters a = actual.model(i);
            assertEquals(e.dim(), a.dim());
            assertEquals(e.numLatents(), a.numLatents());
            assertSameTensors(e.trainable(), a.trainable());
            assertSameTensors(e.buffers(), a.buffers());
            assertEquals(Double.doubleToRawLongBits(e.mu()), Double.doubleToRawLongBits(a.mu()));
            assertEquals(Double.doubleToRawLongBits(e.sigma()), Double.doubleToRawLongBits(a.sigma()));
            assertEquals(e.bnBatchesTracked(), a.bnBatchesTracked());
        }
    }

    private static void assertSameTensors(Map<String, float[]> e, Map<String, float[]> a) {
        assertEquals(new ArrayList<>(e.keySet()), new ArrayList<>(a.keySet()), "tensor names and order");
        for (String name : e.keySet()) {
            float[] x = e.get(name);
            float[] y = a.get(name);
            assertEquals(x.length, y.length, name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), name + "[" + i + "]");
            }
        }
    }

    private static UsaeParameters roundTrip(UsaeParameters p) throws Exception {
        byte[] bytes = ParameterProtos.toProto(p).toByteArray();
        return ParameterProtos.fromProto(UsaeParametersProto.parseFrom(bytes));
    }

    @Test
    void batchNormRoundTripIsBitExact() throws Exception {
        UsaeParameters p = randomParams(BATCHNORM, 1, 5, 3);
        assertSameParams(p, roundTrip(p));
        assertTrue(p.model(0).buffers().containsKey(ModelParameters.BN_RUNNING_VAR));
    }

    @Test
    void affineWithDecoderBiasRoundTripIsBitExact() throws Exception {
        UsaeParameters p = randomParams(AFFINE_BIAS, 2, 4, 7, 2);
        assertSameParams(p, roundTrip(p));
        assertTrue(p.model(1).trainable().containsKey(ModelParameters.INPUT_BIAS));
    }

    @Test
    void hybridTopKKeepsItsSharedSlotsAndOldFilesReadZero() throws Exception {
        Architecture hybrid = new Architecture(6, 4, EncoderKind.AFFINE, SparsityKind.HYBRID_TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED, 3);
        UsaeParameters p = randomParams(hybrid, 4, 3, 5);
        assertEquals(hybrid, roundTrip(p).architecture());
        // a file written before shared_k existed has no field 7: it reads as 0, valid for TOPK / GLOBAL_TOPK
        UsaeParametersProto old = ParameterProtos.toProto(randomParams(AFFINE_BIAS, 5, 3)).toBuilder()
                .setArchitecture(ParameterProtos.toProto(randomParams(AFFINE_BIAS, 5, 3)).getArchitecture().toBuilder()
                        .clearSharedK()).build();
        assertEquals(AFFINE_BIAS, ParameterProtos.fromProto(old).architecture());
        // a HYBRID_TOPK file without its shared slots is refused in one line
        UsaeParametersProto broken = ParameterProtos.toProto(p).toBuilder()
                .setArchitecture(ParameterProtos.toProto(p).getArchitecture().toBuilder().clearSharedK()).build();
        assertRejected(broken, "sharedK", "HYBRID_TOPK", "got 0");
    }

    @Test
    void batchTopKKeepsItsRowSlotsAndThresholdsAndABrokenFileIsRefusedInOneLine() throws Exception {
        Architecture batch = new Architecture(6, 2, EncoderKind.AFFINE, SparsityKind.BATCH_TOPK, true,
                DictionaryConstraint.UNIT_NORM_PROJECTED, 0, 5);
        UsaeParameters p = randomParams(batch, 8, 3, 5);
        UsaeParameters back = roundTrip(p);
        assertSameParams(p, back);
        assertEquals(batch, back.architecture());
        assertEquals(p.model(1).get(ModelParameters.INFERENCE_THRESHOLD)[0],
                back.model(1).get(ModelParameters.INFERENCE_THRESHOLD)[0]);
        // a BATCH_TOPK file without its row slots (or a file that gives them to another sparsity) is refused
        UsaeParametersProto noSlots = ParameterProtos.toProto(p).toBuilder()
                .setArchitecture(ParameterProtos.toProto(p).getArchitecture().toBuilder().clearMaxRowSlots()).build();
        assertRejected(noSlots, "maxRowSlots", "BATCH_TOPK", "got 0");
        UsaeParametersProto topKWithSlots = ParameterProtos.toProto(randomParams(AFFINE_BIAS, 5, 3)).toBuilder()
                .setArchitecture(ParameterProtos.toProto(randomParams(AFFINE_BIAS, 5, 3)).getArchitecture().toBuilder()
                        .setMaxRowSlots(4)).build();
        assertRejected(topKWithSlots, "maxRowSlots", "got 4");
    }

    @Test
    void tensorsAreLittleEndianFloat32WithShapes() {
        UsaeParameters p = randomParams(AFFINE_BIAS, 3, 4);
        ModelParametersProto mp = ParameterProtos.toProto(p).getModels(0);
        NamedTensorProto w = mp.getTrainable(0);
        assertEquals(ModelParameters.ENC_WEIGHT, w.getName());
        assertEquals(List.of(6L, 4L), w.getTensor().getShapeList());
        int bits = Float.floatToRawIntBits(p.model(0).encoderWeight()[1]);
        ByteString b = w.getTensor().getValues();
        assertEquals(6 * 4 * 4, b.size());
        assertEquals(bits, (b.byteAt(4) & 0xff) | (b.byteAt(5) & 0xff) << 8 | (b.byteAt(6) & 0xff) << 16
                | (b.byteAt(7) & 0xff) << 24);
        assertEquals("AFFINE", ParameterProtos.toProto(p).getArchitecture().getEncoder());
    }

    // ---- corrupt protos ----

    private static UsaeParametersProto base() {
        return ParameterProtos.toProto(randomParams(BATCHNORM, 4, 5, 3));
    }

    private static void assertRejected(UsaeParametersProto proto, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterProtos.fromProto(proto));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    /** Rewrites trainable tensor {@code t} of model 1. */
    private static UsaeParametersProto editTensor(int t, UnaryOperator<NamedTensorProto.Builder> edit) {
        UsaeParametersProto.Builder b = base().toBuilder();
        ModelParametersProto.Builder m = b.getModelsBuilder(1);
        m.setTrainable(t, edit.apply(m.getTrainable(t).toBuilder()));
        return b.build();
    }

    private static int indexOf(ModelParametersProto m, String name) {
        for (int i = 0; i < m.getTrainableCount(); i++) {
            if (m.getTrainable(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void wrongByteLengthNamesModelAndTensor() {
        int t = indexOf(base().getModels(1), ModelParameters.ENC_BIAS);
        assertRejected(editTensor(t, n -> {
            n.getTensorBuilder().setValues(n.getTensor().getValues().substring(1));
            return n;
        }), "'encoder.bias'", "'model-1'", "31 bytes", "expected 32");
    }

    @Test
    void shapeMismatchNamesModelAndTensor() {
        int t = indexOf(base().getModels(1), ModelParameters.DICTIONARY);
        assertRejected(editTensor(t, n -> {
            n.getTensorBuilder().clearShape().addShape(3).addShape(8);
            return n;
        }), "'dictionary'", "'model-1'", "shape [3, 8]", "expected [8, 3]");
    }

    @Test
    void missingDictionaryIsReported() {
        UsaeParametersProto.Builder b = base().toBuilder();
        ModelParametersProto.Builder m = b.getModelsBuilder(0);
        m.removeTrainable(indexOf(m.build(), ModelParameters.DICTIONARY));
        assertRejected(b.build(), "'model-0'", "missing trainable tensor 'dictionary'");
    }

    @Test
    void unknownOrDuplicateTensorsAreReported() {
        UsaeParametersProto ok = base();
        UsaeParametersProto unknown = editTensor(0, n -> n.setName("encoder.weights"));
        assertRejected(unknown, "'model-1'", "unexpected trainable tensor 'encoder.weights'");
        UsaeParametersProto.Builder dup = ok.toBuilder();
        dup.getModelsBuilder(0).addTrainable(ok.getModels(0).getTrainable(0));
        assertRejected(dup.build(), "'model-0'", "'encoder.weight' twice");
        // A buffer filed as trainable is not silently accepted.
        UsaeParametersProto.Builder moved = ok.toBuilder();
        moved.getModelsBuilder(0).addTrainable(ok.getModels(0).getBuffers(0));
        assertRejected(moved.build(), "'model-0'", "unexpected trainable tensor 'bn.running_mean'");
    }

    @Test
    void unknownEnumNameIsReported() {
        UsaeParametersProto.Builder b = base().toBuilder();
        b.getArchitectureBuilder().setEncoder("LINEAR");
        assertRejected(b.build(), "encoder 'LINEAR'", "BATCHNORM", "AFFINE");
        UsaeParametersProto.Builder d = base().toBuilder();
        d.getArchitectureBuilder().setDictionary("");
        assertRejected(d.build(), "dictionary ''");
    }

    @Test
    void missingArchitectureAndBadStandardisationAreReported() {
        assertRejected(base().toBuilder().clearArchitecture().build(), "no architecture");
        UsaeParametersProto.Builder b = base().toBuilder();
        b.getModelsBuilder(1).setSigma(Double.NaN);
        assertRejected(b.build(), "'model-1'", "standardisation");
    }
}
