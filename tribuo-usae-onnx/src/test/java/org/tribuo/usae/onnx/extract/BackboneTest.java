package org.tribuo.usae.onnx.extract;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackboneTest {
    static final int B = 3, T = 16, P = 12, C = 4;

    static float[] randomPatches(long seed) {
        Random r = new Random(seed);
        float[] x = new float[B * T * P];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void tapsAnIntermediateWithExactValuesAndKeepsTheDeclaredOutput() {
        TinyVit vit = new TinyVit(P, C, 7);
        float[] x = randomPatches(1);
        try (Backbone bb = Backbone.fromBytes("tiny", vit.model(), List.of("blocks.0.out", "pooled"),
                Backbone.Options.builder().intraOpThreads(1).build());
             OnnxTensor in = bb.floatTensor(x, new long[]{B, T, P})) {
            assertEquals(List.of("patches"), List.copyOf(bb.inputs().keySet()));
            Map<String, Activation> out = bb.run(Map.of("patches", in));
            Activation mid = out.get("blocks.0.out");
            assertArrayEquals(new long[]{B, 1 + T, C}, mid.shape());
            for (int b = 0; b < B; b++) {
                float[] one = new float[T * P];
                System.arraycopy(x, b * T * P, one, 0, T * P);
                float[] exp = vit.expected(one, T);
                for (int i = 0; i < exp.length; i++) {
                    assertEquals(exp[i], mid.data()[b * (1 + T) * C + i], 1e-4f, "b=" + b + " i=" + i);
                }
            }
            Activation pooled = out.get("pooled");
            assertArrayEquals(new long[]{B, C}, pooled.shape());
            // Determinism: a second run gives bit-identical values.
            Map<String, Activation> again = bb.run(Map.of("patches", in));
            assertArrayEquals(mid.data(), again.get("blocks.0.out").data());
        }
    }

    @Test
    void declaredOutputIsBitIdenticalWithAndWithoutTaps() {
        TinyVit vit = new TinyVit(P, C, 3);
        float[] x = randomPatches(2);
        float[] plain;
        try (Backbone bb = Backbone.fromBytes("plain", vit.model(), List.of("pooled"), Backbone.Options.cpu());
             OnnxTensor in = bb.floatTensor(x, new long[]{B, T, P})) {
            plain = bb.run(Map.of("patches", in)).get("pooled").data();
        }
        try (Backbone bb = Backbone.fromBytes("tapped", vit.model(), List.of("embed", "pooled", "tokens"), Backbone.Options.cpu());
             OnnxTensor in = bb.floatTensor(x, new long[]{B, T, P})) {
            Map<String, Activation> out = bb.run(Map.of("patches", in));
            assertEquals(List.of("embed", "pooled", "tokens"), List.copyOf(out.keySet()));
            assertArrayEquals(plain, out.get("pooled").data());
        }
    }

    @Test
    void unknownTapNamesTheModelAndSuggestsSimilarNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vit.onnx");
        Files.write(f, new TinyVit(P, C, 1).model());
        BackboneException e = assertThrows(BackboneException.class,
                () -> Backbone.open(f, List.of("blocks.0.output"), Backbone.Options.cpu()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'blocks.0.output'"), e.getMessage());
        assertTrue(e.getMessage().contains("blocks.0.out,") || e.getMessage().contains("[blocks.0.out"), e.getMessage());
    }

    @Test
    void badInputsAndBadFilesGiveClearErrors(@TempDir Path dir) throws Exception {
        TinyVit vit = new TinyVit(P, C, 1);
        assertThrows(BackboneException.class, () -> Backbone.fromBytes("x", vit.model(), List.of(), Backbone.Options.cpu()));
        assertThrows(BackboneException.class, () -> Backbone.fromBytes("x", vit.model(), List.of("embed", "embed"), Backbone.Options.cpu()));
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[]{1, 2, 3, 4, 5});
        BackboneException e = assertThrows(BackboneException.class, () -> Backbone.open(junk, List.of("a"), Backbone.Options.cpu()));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
        assertThrows(BackboneException.class, () -> Backbone.open(dir.resolve("missing.onnx"), List.of("a"), Backbone.Options.cpu()));
        try (Backbone bb = Backbone.fromBytes("tiny", vit.model(), List.of("embed"), Backbone.Options.cpu());
             OnnxTensor in = bb.floatTensor(new float[T * P], new long[]{1, T, P})) {
            BackboneException m = assertThrows(BackboneException.class, () -> bb.run(Map.of("x", in)));
            assertTrue(m.getMessage().contains("patches"), m.getMessage());
            assertTrue(Backbone.tensorNames("tiny", vit.model()).containsAll(List.of("patches", "embed", "blocks.0.out")));
        }
    }

    @Test
    void cudaWithoutCudaIsAClearError() {
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return; // the GPU jar is on the class path; nothing to check here
        }
        BackboneException e = assertThrows(BackboneException.class, () -> Backbone.fromBytes("tiny",
                new TinyVit(P, C, 1).model(), List.of("embed"), Backbone.Options.builder().device(Device.CUDA).build()));
        assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
    }
}
