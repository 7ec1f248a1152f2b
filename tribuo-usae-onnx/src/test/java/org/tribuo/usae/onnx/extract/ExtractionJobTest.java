package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.Batch;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.RowIndex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractionJobTest {
    static final int T = 16, P = 12;

    /** Inputs are [T x P] patch arrays; the feeder stacks them into [B, T, P]. */
    static Feeder<float[]> patches() {
        return (bb, batch) -> {
            float[] x = new float[batch.size() * T * P];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i), 0, x, i * T * P, T * P);
            }
            return Map.of("patches", bb.floatTensor(x, new long[]{batch.size(), T, P}));
        };
    }

    static List<float[]> inputs(int n) {
        Random r = new Random(11);
        List<float[]> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[T * P];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            l.add(x);
        }
        return l;
    }

    @Test
    void writesAlignedRowsWithRowIndexAndLabels(@TempDir Path dir) {
        TinyVit a = new TinyVit(P, 4, 1);
        TinyVit b = new TinyVit(P, 6, 2);
        List<float[]> in = inputs(7);
        long[] labels = {3, 1, 4, 1, 5, 9, 2};
        Path out = dir.resolve("set");
        List<long[]> progress = new ArrayList<>();
        try (Backbone ba = Backbone.fromBytes("a", a.model(), List.of("blocks.0.out"), Backbone.Options.cpu());
             Backbone bbb = Backbone.fromBytes("b", b.model(), List.of("blocks.0.out"), Backbone.Options.cpu())) {
            TokenPolicy dropCls = TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(1).squareGrid().build();
            ExtractionJob<float[]> job = new ExtractionJob<>(List.of(
                    new ExtractionJob.Member<>("vitA", ba, null, dropCls, patches()),
                    new ExtractionJob.Member<>("vitB", bbb, "blocks.0.out", dropCls, patches())), 3);
            ExtractionJob.Summary s = job.run(in, labels, out, (done, total, rows) -> progress.add(new long[]{done, total, rows}));
            assertEquals(7 * T, s.rows());
            assertEquals(T, s.tokensPerInput());
        }
        assertEquals(3, progress.size());
        assertArrayEquals(new long[]{7, 7, 7 * T}, progress.get(2));
        assertArrayEquals(labels, InputLabels.read(out).orElseThrow());
        try (ActivationSet set = NpyActivationSet.open(out)) {
            assertEquals(List.of("vitA", "vitB"), set.modelNames());
            assertEquals(7L * T, set.rows());
            RowIndex ri = set.rowIndex().orElseThrow();
            // Row r = input r / T, token r % T (CLS dropped: token p is patch p).
            long row = 5L * T + 9;
            assertEquals(5, ri.inputId(row));
            assertEquals(9, ri.position(row));
            Batch batch = set.batch(new long[]{row});
            float[] expA = a.expected(in.get(5), T);
            float[] expB = b.expected(in.get(5), T);
            for (int c = 0; c < 4; c++) {
                assertEquals(expA[(1 + 9) * 4 + c], batch.x()[0][c], 1e-4f);
            }
            for (int c = 0; c < 6; c++) {
                assertEquals(expB[(1 + 9) * 6 + c], batch.x()[1][c], 1e-4f);
            }
        }
    }

    @Test
    void sameInputsGiveBitIdenticalSets(@TempDir Path dir) throws Exception {
        TinyVit a = new TinyVit(P, 4, 1);
        List<float[]> in = inputs(5);
        for (String name : List.of("s1", "s2")) {
            try (Backbone ba = Backbone.fromBytes("a", a.model(), List.of("blocks.0.out"), Backbone.Options.cpu())) {
                new ExtractionJob<>(List.of(new ExtractionJob.Member<>("vitA", ba, null,
                        TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(1).squareGrid().resize(3, 3).build(), patches())), 2)
                        .run(in, null, dir.resolve(name), null);
            }
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("s1/vitA.npy")), Files.readAllBytes(dir.resolve("s2/vitA.npy")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("s1/row_index.npy")), Files.readAllBytes(dir.resolve("s2/row_index.npy")));
        assertFalse(Files.exists(dir.resolve("s1/labels.npy")));
        try (ActivationSet set = NpyActivationSet.open(dir.resolve("s1"))) {
            assertEquals(5L * 9, set.rows());
        }
    }

    @Test
    void tokenCountMismatchIsAClearErrorAndLeavesNothing(@TempDir Path dir) throws Exception {
        TinyVit a = new TinyVit(P, 4, 1);
        Path out = dir.resolve("set");
        try (Backbone ba = Backbone.fromBytes("a", a.model(), List.of("blocks.0.out"), Backbone.Options.cpu())) {
            ExtractionJob<float[]> job = new ExtractionJob<>(List.of(
                    new ExtractionJob.Member<>("withCls", ba, null, TokenPolicy.tokens(), patches()),
                    new ExtractionJob.Member<>("noCls", ba, null, TokenPolicy.builder(TokenPolicy.Layout.TOKENS).dropLeading(1).build(), patches())), 4);
            BackboneException e = assertThrows(BackboneException.class, () -> job.run(inputs(3), null, out, null));
            assertTrue(e.getMessage().contains("withCls") && e.getMessage().contains("noCls"), e.getMessage());
            assertTrue(e.getMessage().contains("17") && e.getMessage().contains("16"), e.getMessage());
        }
        assertFalse(Files.exists(out.resolve("manifest.json")));
    }
}
