package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyActivationSetTest {
    @TempDir
    Path tmp;

    /** Model "b" {@code [3 x 2]} and "a" {@code [3 x 4]} (the f4 fixture). */
    private Path plainFolder() throws IOException {
        Path dir = tmp.resolve("plain");
        Files.createDirectories(dir);
        Files.copy(Fixtures.npy("f4.npy"), dir.resolve("a.npy"));
        Npy.writeFloat32(dir.resolve("b.npy"), new float[]{1, 2, 3, 4, 5, 6}, 3, 2);
        return dir;
    }

    @Test
    void plainFolderIsASortedSet() throws IOException {
        Path dir = plainFolder();
        Files.copy(Fixtures.npy("f2.npy"), dir.resolve("c.npy"));
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            assertEquals(List.of("a", "b", "c"), s.modelNames());
            assertEquals(3, s.numModels());
            assertEquals(3, s.rows());
            assertEquals(4, s.dim(0));
            assertEquals(2, s.dim(1));
            assertEquals(1, s.indexOf("b"));
            Batch b = s.batch(new long[]{2, 0});
            assertArrayEquals(new float[]{5, 6, 1, 2}, b.x()[1]);
            assertArrayEquals(new float[]{2.75f, 3.25f, 3.75f, 4.25f, -1.25f, -0.75f, -0.25f, 0.25f}, b.x()[0]);
            assertEquals(Float.POSITIVE_INFINITY, b.x()[2][0]); // float16 model, row 2 first
            assertEquals(1f, b.x()[2][6]);
            assertTrue(s.rowIndex().isEmpty());
            assertTrue(s.stats(0).isEmpty());
            assertTrue(s.source(1).endsWith("b.npy"));
            // Without a manifest, hashes are computed on open.
            assertEquals(Sha256.ofFloats(Fixtures.f4Values()), s.provenance().models().get(0).sha256());
            s.verify();
        }
    }

    @Test
    void unknownModelNameListsKnownNames() throws IOException {
        try (NpyActivationSet s = NpyActivationSet.open(plainFolder())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.indexOf("dino"));
            assertTrue(e.getMessage().contains("'dino'") && e.getMessage().contains("[a, b]"), e.getMessage());
        }
    }

    @Test
    void emptyFolderIsRejected() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(dir.resolve("notes.txt"), "x");
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(dir));
        assertTrue(e.getMessage().contains("no <model>.npy files in") && e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void mismatchedRowCountsNameBothFiles() throws IOException {
        Path dir = plainFolder();
        Npy.writeFloat32(dir.resolve("c.npy"), new float[]{1, 2}, 2, 1);
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(dir));
        String m = e.getMessage();
        assertTrue(m.contains("c.npy has 2 rows") && m.contains("a.npy has 3"), m);
    }

    @Test
    void badFileInFolderNamesTheFile() throws IOException {
        Path dir = plainFolder();
        Files.copy(Fixtures.npy("f8.npy"), dir.resolve("d.npy"));
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(dir));
        assertTrue(e.getMessage().contains("d.npy") && e.getMessage().contains("'<f8'"), e.getMessage());
    }

    @Test
    void rowIndexIsValidated() throws IOException {
        Path dir = plainFolder();
        Npy.writeInt64(dir.resolve("row_index.npy"), new long[]{0, 0, 0, 1, 1, 0}, 3, 2);
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            assertEquals(List.of("a", "b"), s.modelNames());
            RowIndex ri = s.rowIndex().orElseThrow();
            assertEquals(1, ri.inputId(2));
            assertEquals(1, ri.position(1));
        }
        Npy.writeInt64(dir.resolve("row_index.npy"), new long[]{0, 0, 0}, 3, 1);
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(dir));
        assertTrue(e.getMessage().contains("row_index.npy") && e.getMessage().contains("expected 2"), e.getMessage());
        Npy.writeInt64(dir.resolve("row_index.npy"), new long[]{0, 0}, 1, 2);
        e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(dir));
        assertTrue(e.getMessage().contains("row_index.npy has 1 rows"), e.getMessage());
    }

    // ---- manifest ----

    private Path writtenSet() {
        Path dir = tmp.resolve("set");
        ActivationSetWriter w = ActivationSetWriter.create(dir, List.of("zeta", "alpha"), new int[]{2, 1}, true);
        w.append(new float[][]{{1, 2, 3, 4}, {10, 20}}, 2, new long[]{5, 5}, new long[]{0, 1});
        w.append(new float[][]{{5, 6}, {30}}, 1, new long[]{6}, new long[]{0});
        w.close();
        return dir;
    }

    @Test
    void manifestGivesOrderStatsHashesAndRowIndex() throws IOException {
        Path dir = writtenSet();
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            assertEquals(List.of("zeta", "alpha"), s.modelNames()); // manifest order, not sorted
            assertEquals(3, s.rows());
            ModelStats st = s.stats(1).orElseThrow();
            assertEquals(20.0, st.mean(), 1e-12);
            assertEquals(10.0, st.std(), 1e-12); // unbiased std of {10, 20, 30}
            assertEquals(10.0, st.min());
            assertEquals(30.0, st.max());
            assertEquals(3, st.count());
            ModelStats z = s.stats(0).orElseThrow();
            assertEquals(3.5, z.mean(), 1e-12);
            assertEquals(Math.sqrt(3.5), z.std(), 1e-12);
            assertEquals(6, s.rowIndex().orElseThrow().inputId(2));
            assertEquals(1, s.rowIndex().orElseThrow().position(1));
            assertEquals(Sha256.ofFloats(new float[]{10, 20, 30}), s.provenance().models().get(1).sha256());
            s.verify();
        }
        // No temp files left behind by the writer.
        try (var files = Files.list(dir)) {
            assertEquals(List.of("alpha.npy", "manifest.json", "row_index.npy", "zeta.npy"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void verifyDetectsChangedContent() throws IOException {
        Path dir = writtenSet();
        Npy.writeFloat32(dir.resolve("alpha.npy"), new float[]{10, 20, 31}, 3, 1);
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            ActivationSetException e = assertThrows(ActivationSetException.class, s::verify);
            assertTrue(e.getMessage().contains("alpha.npy") && e.getMessage().contains("sha256 mismatch"), e.getMessage());
        }
    }

    @Test
    void manifestDisagreeingWithFilesIsRejected() throws IOException {
        Path dir = writtenSet();
        Path mf = dir.resolve("manifest.json");
        String good = Files.readString(mf);

        Files.writeString(mf, good.replace("\"dim\" : 1", "\"dim\" : 7"));
        assertOpenFails(dir, "alpha.npy", "dim 1 but");

        Files.writeString(mf, good.replace("\"rows\" : 3", "\"rows\" : 4"));
        assertOpenFails(dir, "zeta.npy", "3 rows but");

        Files.writeString(mf, good.replace("\"file\" : \"alpha.npy\"", "\"file\" : \"beta.npy\""));
        assertOpenFails(dir, "beta.npy", "does not exist");

        Files.writeString(mf, good.replace("\"dtype\" : \"<f4\"", "\"dtype\" : \"<f2\""));
        assertOpenFails(dir, "zeta.npy", "dtype '<f4' but");
    }

    @Test
    void malformedManifestNamesTheField() throws IOException {
        Path dir = writtenSet();
        Path mf = dir.resolve("manifest.json");
        String good = Files.readString(mf);

        Files.writeString(mf, good.substring(0, good.length() / 2));
        assertOpenFails(dir, "manifest.json", "malformed JSON");

        Files.writeString(mf, good.replace("\"rows\" : 3", "\"rows\" : \"three\""));
        assertOpenFails(dir, "manifest.json", "field 'rows'");

        Files.writeString(mf, good.replace("\"dim\" : 1", "\"dim\" : 1.5"));
        assertOpenFails(dir, "manifest.json", "field 'models[1].dim'");

        Files.writeString(mf, good.replace("\"name\" : \"alpha\"", "\"name\" : 3"));
        assertOpenFails(dir, "manifest.json", "field 'models[1].name'");

        Files.writeString(mf, good.replace("\"mean\" : 20.0", "\"mean\" : null"));
        assertOpenFails(dir, "manifest.json", "field 'models[1].stats.mean'");

        Files.writeString(mf, good.replace("\"format_version\" : 1", "\"format_version\" : 2"));
        assertOpenFails(dir, "manifest.json", "field 'format_version' is 2");

        Files.writeString(mf, "[]");
        assertOpenFails(dir, "manifest.json", "JSON object");
    }

    private static void assertOpenFails(Path dir, String file, String problem) {
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> NpyActivationSet.open(dir));
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void writerCopiesAnySetAndRejectsNonEmptyFolders() throws IOException {
        InMemoryActivationSet mem = new InMemoryActivationSet(List.of("x", "y"), new int[]{3, 2},
                new float[][]{{1, 2, 3, 4, 5, 6, 7, 8, 9}, {-1, -2, -3, -4, -5, -6}},
                RowIndex.of(new long[]{0, 0, 1}, new long[]{0, 1, 0}));
        Path dir = tmp.resolve("copy");
        ActivationSetWriter.write(mem, dir, 2);
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            assertEquals(mem.modelNames(), s.modelNames());
            Batch a = mem.batch(new long[]{0, 1, 2});
            Batch b = s.batch(new long[]{0, 1, 2});
            assertArrayEquals(a.x()[0], b.x()[0]);
            assertArrayEquals(a.x()[1], b.x()[1]);
            assertEquals(1, s.rowIndex().orElseThrow().inputId(2));
            // Same float bytes, same content hash: in-memory and on-disk provenance agree per model.
            assertEquals(mem.provenance().models().get(0).sha256(), s.provenance().models().get(0).sha256());
            assertEquals(mem.stats(1).orElseThrow().mean(), s.stats(1).orElseThrow().mean(), 1e-12);
        }
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ActivationSetWriter.write(mem, dir, 2));
        assertTrue(e.getMessage().contains("copy") && e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void abortedWriterLeavesAnEmptyFolder() throws IOException {
        Path dir = tmp.resolve("aborted");
        ActivationSetWriter w = ActivationSetWriter.create(dir, List.of("m"), new int[]{2}, false);
        w.append(new float[][]{{1, 2}}, 1);
        assertThrows(IllegalArgumentException.class, () -> w.append(new float[][]{{1}}, 1));
        w.abort();
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent());
        }
    }
}
