package org.tribuo.usae.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.NpyActivationSet;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --stream-gb memory check at a tiny shape: set sizes, reuse of a written set, bad input. */
class StreamMemoryCheckTest {
    /** widths 4 + 6 = 10 floats = 40 bytes per row; m 16, k 2, 8 rows per step. */
    private static final ThroughputShape TINY = new ThroughputShape("tiny", new int[]{4, 6}, 16, 2, 8);

    @Test
    void writesEachSizeOnceThenReusesIt(@TempDir Path root) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // 4e-6 GB = 4000 bytes = 100 rows of 40 bytes; 8e-6 GB = 200 rows
        List<StreamMemoryCheck.Result> rs = StreamMemoryCheck.run(TINY, List.of(4e-6, 8e-6), 3, "SPARC", 1, root, out);
        assertEquals(2, rs.size());
        assertEquals(100, rs.get(0).rows());
        assertEquals(200, rs.get(1).rows());
        assertEquals(3, rs.get(0).steps());
        assertEquals(3, rs.get(1).steps());
        Path small = root.resolve("usae-stream-4x6-100-rows");
        try (NpyActivationSet set = NpyActivationSet.open(small)) {
            assertEquals(100, set.rows());
            assertEquals(6, set.dim(1));
        }
        // a second run finds the complete sets; steps 0 = one pass over the smallest set: 100 / 8 = 12 steps
        rs = StreamMemoryCheck.run(TINY, List.of(4e-6), 0, "SPARC", 1, root, out);
        assertEquals(12, rs.get(0).steps());
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("reusing " + small), log);
        assertTrue(Files.isDirectory(root.resolve("usae-stream-4x6-200-rows")));
    }

    @Test
    void refusesNonPositiveSizesAndHalfWrittenFolders(@TempDir Path root) throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamMemoryCheck.run(TINY, List.of(0.0), 1, "SPARC", 1, root, out));
        assertTrue(e.getMessage().contains("--stream-gb") && e.getMessage().contains("> 0"), e.getMessage());
        Files.createDirectories(root.resolve("usae-stream-4x6-100-rows"));
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamMemoryCheck.run(TINY, List.of(4e-6), 1, "SPARC", 1, root, out));
        assertTrue(e.getMessage().contains("without a manifest"), e.getMessage());
    }
}
