package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchStreamTest {
    @TempDir
    Path tmp;

    /** Row r of model "a" is (r, r + 0.5); model "b" is (-r). Values identify their row. */
    private static InMemoryActivationSet set(int rows) {
        float[] a = new float[2 * rows];
        float[] b = new float[rows];
        for (int r = 0; r < rows; r++) {
            a[2 * r] = r;
            a[2 * r + 1] = r + 0.5f;
            b[r] = -r;
        }
        return new InMemoryActivationSet(List.of("a", "b"), new int[]{2, 1}, new float[][]{a, b});
    }

    private static List<long[]> take(BatchStream s, int n) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.next().rowIds());
        }
        return out;
    }

    @Test
    void eachRowExactlyOncePerEpochWithAlignedModels() {
        InMemoryActivationSet set = set(103);
        BatchStream s = new BatchStream(set, 10, 42L, false);
        assertEquals(11, s.batchesPerEpoch());
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] seen = new int[103];
            for (int i = 0; i < 11; i++) {
                Batch b = s.next();
                assertEquals(i < 10 ? 10 : 3, b.rows());
                for (int r = 0; r < b.rows(); r++) {
                    long id = b.rowIds()[r];
                    seen[(int) id]++;
                    assertEquals(id, b.x()[0][2 * r]);
                    assertEquals(id + 0.5f, b.x()[0][2 * r + 1]);
                    assertEquals(-id, b.x()[1][r]);
                }
            }
            int[] once = new int[103];
            Arrays.fill(once, 1);
            assertArrayEquals(once, seen, "epoch " + epoch);
        }
        assertEquals(new StreamPosition(2, 0), s.position());
    }

    @Test
    void deterministicForASeedAndDifferentForAnother() {
        InMemoryActivationSet set = set(50);
        List<long[]> a = take(new BatchStream(set, 7, 1L, true), 20);
        List<long[]> b = take(new BatchStream(set, 7, 1L, true), 20);
        List<long[]> c = take(new BatchStream(set, 7, 2L, true), 20);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertFalse(Arrays.equals(a.get(0), c.get(0)) && Arrays.equals(a.get(1), c.get(1)));
        // Epochs are shuffled differently from each other.
        assertFalse(Arrays.equals(a.get(0), a.get(7)));
    }

    @Test
    void seekContinuesIdentically() {
        InMemoryActivationSet set = set(40);
        BatchStream s = new BatchStream(set, 6, 9L, false);
        take(s, 9); // into the second epoch (7 batches per epoch)
        StreamPosition p = s.position();
        assertEquals(new StreamPosition(1, 12), p);
        List<long[]> rest = take(s, 10);
        BatchStream resumed = new BatchStream(set, 6, 9L, false);
        resumed.seek(p);
        List<long[]> again = take(resumed, 10);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(rest.get(i), again.get(i));
        }
        // Seeking back within the current epoch also replays.
        BatchStream back = new BatchStream(set, 6, 9L, false);
        back.seek(1, 12);
        assertArrayEquals(rest.get(0), back.next().rowIds());
    }

    @Test
    void dropLastAndRowRange() {
        InMemoryActivationSet set = set(30);
        BatchStream s = new BatchStream(set, 4, 3L, 10, 21, true); // 11 rows -> 2 batches of 4
        assertEquals(2, s.batchesPerEpoch());
        for (int i = 0; i < 10; i++) {
            Batch b = s.next();
            assertEquals(4, b.rows());
            for (long id : b.rowIds()) {
                assertTrue(id >= 10 && id < 21, "row " + id);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchStream(set, 40, 3L, true));
        assertThrows(IllegalArgumentException.class, () -> new BatchStream(set, 4, 3L, 5, 31, false));
    }

    @Test
    void nonFiniteValuesNameFileRowAndColumn() {
        Path dir = tmp.resolve("nan");
        float[] a = new float[2 * 8];
        a[2 * 5 + 1] = Float.NaN;
        ActivationSetWriter w = ActivationSetWriter.create(dir, List.of("m"), new int[]{2}, false);
        w.append(new float[][]{a}, 8);
        w.close();
        try (NpyActivationSet set = NpyActivationSet.open(dir)) {
            BatchStream s = new BatchStream(set, 8, 0L, false);
            ActivationSetException e = assertThrows(ActivationSetException.class, s::next);
            assertTrue(e.getMessage().contains("m.npy") && e.getMessage().contains("NaN")
                    && e.getMessage().contains("row 5, column 1"), e.getMessage());
        }
        float[] b = new float[3];
        b[2] = Float.NEGATIVE_INFINITY;
        InMemoryActivationSet mem = new InMemoryActivationSet(List.of("vit"), new int[]{1}, new float[][]{b});
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> new BatchStream(mem, 3, 0L, false).next());
        assertTrue(e.getMessage().contains("model 'vit'") && e.getMessage().contains("-Infinity")
                && e.getMessage().contains("row 2, column 0"), e.getMessage());
    }
}
