package org.tribuo.usae.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedActivationSetTest {
    @TempDir
    Path tmp;

    private static final List<String> NAMES = List.of("a", "b");
    private static final int[] DIMS = {3, 2};
    /** Shards of 3, 2 and 4 rows: boundaries 0, 3, 5, 9. */
    private static final long[] SHARDS = {3, 2, 4};

    @Test
    void readsRowsAcrossShardsWithRowIndex() {
        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        try (ActivationSet set = ActivationSets.open(tmp)) {
            ShardedActivationSet s = assertInstanceOf(ShardedActivationSet.class, set);
            s.verify();
            assertEquals(NAMES, set.modelNames());
            assertEquals(9, set.rows());
            assertArrayEquals(new long[]{0, 3, 5, 9}, set.shardBoundaries());
            // rows from the last, first, second (its first row), first-boundary and third shards
            long[] ids = {8, 0, 3, 4, 5, 2};
            Batch b = set.batch(ids);
            for (int m = 0; m < 2; m++) {
                for (int i = 0; i < ids.length; i++) {
                    for (int c = 0; c < DIMS[m]; c++) {
                        assertEquals(ShardedFixture.value(m, ids[i], c), b.x()[m][i * DIMS[m] + c], "model " + m + " row " + ids[i]);
                    }
                }
            }
            // row 6 = 4 tokens per input: input 1, token 2 (it lives in the third shard, local row 1)
            RowIndex ri = set.rowIndex().orElseThrow();
            assertEquals(1, ri.inputId(6));
            assertEquals(2, ri.position(6));
            assertEquals(9, set.provenance() instanceof ActivationSetProvenance p ? p.rows() : -1);
            // a view keeps the parent's shards
            assertArrayEquals(new long[]{0, 3, 5, 9}, ActivationSets.select(set, "b").shardBoundaries());
        }
    }

    @Test
    void singleFileFolderStillOpensAsOneShard() {
        Npy.writeFloat32(tmp.resolve("x.npy"), new float[]{1, 2, 3, 4}, 2, 2);
        try (ActivationSet set = ActivationSets.open(tmp)) {
            assertInstanceOf(NpyActivationSet.class, set);
            assertArrayEquals(new long[]{0, 2}, set.shardBoundaries());
        }
    }

    @Test
    void unlistedFilesAreIgnored() throws IOException {
        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        // what a failed task attempt could leave behind: never listed, so never read
        Files.write(tmp.resolve("a/part-00001-a7.npy"), new byte[]{1, 2, 3});
        try (ShardedActivationSet set = ShardedActivationSet.open(tmp)) {
            set.verify();
            assertEquals(9, set.rows());
        }
    }

    @Test
    void misalignedShardBoundariesAreRejected() throws IOException {
        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        // model b's shards now tile [0, 9) as 2 + 3 + 4 rows: complete, but not row-aligned with a's 3 + 2 + 4
        ObjectNode root = edit(m -> {
            ObjectNode s0 = (ObjectNode) m.get("models").get(1).get("shards").get(0);
            ObjectNode s1 = (ObjectNode) m.get("models").get(1).get("shards").get(1);
            s0.put("rows", 2);
            s1.put("first_row", 2).put("rows", 3);
        });
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ShardedActivationSet.open(tmp));
        assertTrue(e.getMessage().contains("model 'b' shard 0 ('b/part-00000.npy') holds rows [0, 2) but model 'a' shard 0"), e.getMessage());
        assertTrue(e.getMessage().contains("shard boundaries must be identical across models"), e.getMessage());
        assertTrue(e.getMessage().startsWith(tmp.resolve("manifest.json").toString()), e.getMessage());
        assertTrue(root.size() > 0);
    }

    @Test
    void gapsAndWrongTotalsAreRejected() throws IOException {
        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        edit(m -> ((ObjectNode) m.get("models").get(0).get("shards").get(1)).put("first_row", 4));
        ActivationSetException gap = assertThrows(ActivationSetException.class, () -> ShardedActivationSet.open(tmp));
        assertTrue(gap.getMessage().contains("model 'a' shard 1 ('a/part-00001.npy') covers rows [4, 6), expected a non-empty shard starting at row 3"),
                gap.getMessage());

        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        edit(m -> m.put("rows", 10));
        ActivationSetException total = assertThrows(ActivationSetException.class, () -> ShardedActivationSet.open(tmp));
        assertTrue(total.getMessage().contains("model 'a' shards hold 9 rows but the manifest says rows = 10"), total.getMessage());
    }

    @Test
    void shardFileMismatchesNameTheShard() throws IOException {
        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        edit(m -> ((ObjectNode) m.get("models").get(1).get("shards").get(2)).put("bytes", 1));
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ShardedActivationSet.open(tmp));
        // 128-byte header + 4 rows x 2 x 4 bytes = 160
        assertTrue(e.getMessage().contains("b/part-00002.npy: 160 bytes but"), e.getMessage());
        assertTrue(e.getMessage().contains("says 1 for model 'b' shard 2"), e.getMessage());

        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        Files.delete(tmp.resolve("a/part-00002.npy"));
        ActivationSetException missing = assertThrows(ActivationSetException.class, () -> ShardedActivationSet.open(tmp));
        assertTrue(missing.getMessage().contains("lists model 'a' shard 2 at 'a/part-00002.npy' but"), missing.getMessage());
    }

    @Test
    void verifyDetectsACorruptedShard() throws IOException {
        ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        Path f = tmp.resolve("a/part-00001.npy");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int v = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(v ^ 0x01);
        }
        try (ShardedActivationSet set = ShardedActivationSet.open(tmp)) {
            ActivationSetException e = assertThrows(ActivationSetException.class, set::verify);
            assertTrue(e.getMessage().startsWith(f.toString() + ": sha256 mismatch"), e.getMessage());
        }
    }

    @Test
    void manifestRoundTripsThroughJson() {
        ShardedManifest written = ShardedFixture.write(tmp, NAMES, DIMS, SHARDS);
        assertEquals(written, ShardedManifest.read(tmp.resolve("manifest.json")));
        assertTrue(ShardedManifest.isSharded(tmp.resolve("manifest.json")));
    }

    @Test
    void streamWriterDeclaresRowsUpFrontAndHashesTheDataSection() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NpyStreamWriter w = NpyStreamWriter.float32("x.npy", bytes, 2, 2);
        w.writeRows(new float[]{1, 2, 3, 4}, 0, 1);
        ActivationSetException shortFile = assertThrows(ActivationSetException.class, w::finish);
        assertEquals("x.npy: 1 rows written but the header declares 2", shortFile.getMessage());
        w.writeRows(new float[]{1, 2, 3, 4}, 2, 1);
        NpyStreamWriter.Written done = w.finish();
        assertEquals(128 + 16, done.bytes());
        assertEquals(128 + 16, bytes.size());
        assertThrows(ActivationSetException.class, () -> w.writeRows(new float[]{5, 6}, 0, 1));
        Path f = tmp.resolve("x.npy");
        Files.write(f, bytes.toByteArray());
        try (NpyArray a = NpyArray.open(f, Npy.ACTIVATION_DTYPES)) {
            assertEquals(2, a.rows());
            assertEquals(2, a.cols());
            assertEquals(a.sha256(), done.sha256());
            assertEquals(Sha256.ofFloats(new float[]{1, 2, 3, 4}), done.sha256());
            float[] row = new float[2];
            a.readRow(1, row, 0);
            assertArrayEquals(new float[]{3, 4}, row);
        }
    }

    private ObjectNode edit(java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path mf = tmp.resolve("manifest.json");
        ObjectNode root = (ObjectNode) json.readTree(mf.toFile());
        change.accept(root);
        Files.write(mf, json.writeValueAsBytes(root));
        return root;
    }
}
