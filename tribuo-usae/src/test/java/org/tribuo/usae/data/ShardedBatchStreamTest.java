package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded-window shuffle over shards: coverage, boundedness, resume, and the unsharded special case. */
class ShardedBatchStreamTest {
    @TempDir
    Path tmp;

    /** 30 rows in shards of 5, 7, 3, 9, 6 rows. */
    private static final long[] SHARDS = {5, 7, 3, 9, 6};
    private static final long[] BOUNDS = {0, 5, 12, 15, 24, 30};

    private static int shardOf(long row) {
        int k = Arrays.binarySearch(BOUNDS, row);
        return k >= 0 ? k : -k - 2;
    }

    /** One epoch's order: 8 batches of 4 = 28 rows plus a short batch of 2 (dropLast off). */
    private static long[] epoch(BatchStream s) {
        long[] order = new long[30];
        int at = 0;
        for (int i = 0; i < s.batchesPerEpoch(); i++) {
            Batch b = s.next();
            for (int r = 0; r < b.rows(); r++) {
                order[at++] = b.rowIds()[r];
                // the data read is that row's (model 0, column 1 = row + 1/8)
                assertEquals(ShardedFixture.value(0, b.rowIds()[r], 1), b.x()[0][r * 2 + 1]);
            }
        }
        assertEquals(30, at);
        return order;
    }

    @Test
    void everyRowOncePerEpochMixedInBoundedWindowsOfWholeShards() {
        ShardedFixture.write(tmp, List.of("a"), new int[]{2}, SHARDS);
        try (ActivationSet set = ActivationSets.open(tmp)) {
            // window: shuffled shards are grouped until they hold >= 10 rows, so a window holds < 10 + 9 (largest shard)
            // rows; no shard exceeds 10 rows, so none is cut into pieces and windows are unions of whole shards
            BatchStream s = new BatchStream(set, 4, 5L, 0, 30, false, 10);
            assertEquals(8, s.batchesPerEpoch());
            List<long[]> epochs = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                long[] order = epoch(s);
                long[] sorted = order.clone();
                Arrays.sort(sorted);
                long[] all = new long[30];
                Arrays.setAll(all, i -> i);
                assertArrayEquals(all, sorted, "epoch " + e + " visits every row once");
                // Cut the order wherever the rows seen since the last cut are exactly a union of whole shards:
                // those pieces are the windows (or finer), and each must stay under 19 rows.
                List<Integer> windows = new ArrayList<>();
                Set<Integer> touched = new HashSet<>();
                int count = 0;
                for (long row : order) {
                    touched.add(shardOf(row));
                    count++;
                    long full = touched.stream().mapToLong(k -> SHARDS[k]).sum();
                    if (count == full) {
                        windows.add(count);
                        touched.clear();
                        count = 0;
                    }
                }
                assertEquals(0, count, "the epoch ends on a window boundary");
                assertTrue(windows.size() >= 2, "30 rows with a 10-row window need several windows: " + windows);
                for (int w : windows) {
                    assertTrue(w < 19, "window of " + w + " rows in " + windows);
                }
                epochs.add(order);
            }
            assertTrue(!Arrays.equals(epochs.get(0), epochs.get(1)), "epochs are shuffled differently");
        }
    }

    @Test
    void resumesMidWindowAndAcrossEpochs() {
        ShardedFixture.write(tmp, List.of("a"), new int[]{2}, SHARDS);
        try (ActivationSet set = ActivationSets.open(tmp)) {
            BatchStream a = new BatchStream(set, 4, 9L, 0, 28, true, 8);
            for (int i = 0; i < 5; i++) {
                a.next();
            }
            StreamPosition p = a.position();
            assertEquals(new StreamPosition(0, 20), p);
            BatchStream b = new BatchStream(set, 4, 9L, 0, 28, true, 8);
            b.seek(p);
            for (int i = 0; i < 12; i++) { // 7 batches per epoch: crosses into epoch 2
                assertArrayEquals(a.next().rowIds(), b.next().rowIds(), "batch " + i + " after the seek");
            }
            assertEquals(a.position(), b.position());
            // hold-out: rows 28 and 29 (the tail of the last shard) are never drawn
            BatchStream c = new BatchStream(set, 4, 9L, 0, 28, true, 8);
            for (int i = 0; i < 14; i++) {
                for (long r : c.next().rowIds()) {
                    assertTrue(r < 28, "row " + r);
                }
            }
        }
    }

    @Test
    void anUnshardedRangeIsOnePlainPermutation() {
        float[] x = new float[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("a"), new int[]{1}, new float[][]{x});
        BatchStream s = new BatchStream(set, 40, 3L, 5, 45, true);
        int[] perm = BatchStream.permutation(3L, 0, 40);
        long[] expected = new long[40];
        Arrays.setAll(expected, i -> 5 + perm[i]);
        assertArrayEquals(expected, s.next().rowIds());
    }

    @Test
    void blocksCutAtShardBoundariesAndWindowSize() {
        // range [3, 27) of shards [0,5) [5,12) [12,15) [15,24) [24,30), pieces of at most 4 rows
        List<long[]> b = BatchStream.blocks(BOUNDS, 3, 27, 4);
        List<String> got = b.stream().map(p -> p[0] + "+" + p[1]).toList();
        assertEquals(List.of("3+2", "5+4", "9+3", "12+3", "15+4", "19+4", "23+1", "24+3"), got);
    }
}
