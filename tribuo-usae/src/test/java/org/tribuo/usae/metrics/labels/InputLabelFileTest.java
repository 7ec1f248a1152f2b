package org.tribuo.usae.metrics.labels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputLabelFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheExtractionFormat() throws IOException {
        Npy.writeInt64(dir.resolve(InputLabelFile.LABELS_FILE), new long[]{1, 0, -1, 1}, 4, 1);
        Files.writeString(dir.resolve(InputLabelFile.NAMES_FILE), "cat\ndog\n");
        LabelTable t = InputLabelFile.read(dir).orElseThrow();
        assertEquals(List.of("cat", "dog"), t.names());
        assertEquals(4, t.inputs());
        assertArrayEquals(new int[]{1}, t.labelsOf(0));
        assertArrayEquals(new int[]{}, t.labelsOf(2), "-1 = unlabelled");
        assertFalse(t.isLabelled(2));
        assertTrue(t.has(3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.labelsOf(4));
        assertTrue(e.getMessage().contains("input id 4"), e.getMessage());
    }

    @Test
    void writeThenReadRoundTrips() {
        InputLabelFile.write(dir, List.of("cat", "dog", "eel"), new long[]{2, -1, 0});
        LabelTable t = InputLabelFile.read(dir).orElseThrow();
        assertEquals(List.of("cat", "dog", "eel"), t.names());
        assertArrayEquals(new int[]{2}, t.labelsOf(0));
        assertFalse(t.isLabelled(1));
        assertThrows(IllegalArgumentException.class, () -> InputLabelFile.write(dir, List.of("a", "a"), new long[]{0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputLabelFile.write(dir, List.of("a"), new long[]{0, 1}));
        assertTrue(e.getMessage().contains("input 1 has label id 1"), e.getMessage());
    }

    @Test
    void aSetWithoutLabelsHasNone() {
        assertTrue(InputLabelFile.read(dir).isEmpty());
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Npy.writeInt64(dir.resolve(InputLabelFile.LABELS_FILE), new long[]{0, 2}, 2, 1);
        Files.writeString(dir.resolve(InputLabelFile.NAMES_FILE), "cat\ndog\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputLabelFile.read(dir));
        assertTrue(e.getMessage().contains("labels.npy: row 1 has label id 2"), e.getMessage());
        Files.writeString(dir.resolve(InputLabelFile.NAMES_FILE), "cat\n\ndog\n");
        e = assertThrows(IllegalArgumentException.class, () -> InputLabelFile.read(dir));
        assertTrue(e.getMessage().contains("label_names.txt:2: blank"), e.getMessage());
        Files.writeString(dir.resolve(InputLabelFile.NAMES_FILE), "cat\ndog\ncat\n");
        e = assertThrows(IllegalArgumentException.class, () -> InputLabelFile.read(dir));
        assertTrue(e.getMessage().contains("label_names.txt:3") && e.getMessage().contains("line 1"), e.getMessage());
        Files.delete(dir.resolve(InputLabelFile.NAMES_FILE));
        e = assertThrows(IllegalArgumentException.class, () -> InputLabelFile.read(dir));
        assertTrue(e.getMessage().contains("label_names.txt: file not found"), e.getMessage());
        Npy.writeInt64(dir.resolve(InputLabelFile.LABELS_FILE), new long[]{0, 1, 0, 1}, 2, 2);
        Files.writeString(dir.resolve(InputLabelFile.NAMES_FILE), "cat\ndog\n");
        e = assertThrows(IllegalArgumentException.class, () -> InputLabelFile.read(dir));
        assertTrue(e.getMessage().contains("[inputs x 1]"), e.getMessage());
    }

    @Test
    void multiLabelTablesAreBuiltInCode() {
        LabelTable t = LabelTable.of(List.of("a", "b", "c"), new int[][]{{2, 0, 2}, {}});
        assertArrayEquals(new int[]{0, 2}, t.labelsOf(0), "sorted, duplicates dropped");
        assertThrows(IllegalArgumentException.class, () -> LabelTable.of(List.of("a"), new int[][]{{1}}));
        assertThrows(IllegalArgumentException.class, () -> LabelTable.of(List.of("a", "a"), new int[][]{}));
    }
}
