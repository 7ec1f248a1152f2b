package org.tribuo.usae.metrics.labels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelHierarchyTest {
    @TempDir
    Path dir;

    /*
     * Entity(0) -> Animal(1) -> Mammal(2) -> Bear(3) -> Teddy(4)
     *           -> Toy(1)    -> Teddy(2)                        (Teddy listed twice, as in Open Images)
     *           -> Car(1)
     * SPARC keeps Teddy's deepest occurrence: depth 4, parent Bear.
     */
    private static final String JSON = """
            {"LabelName": "Entity", "Subcategory": [
              {"LabelName": "Animal", "Subcategory": [
                {"LabelName": "Mammal", "Subcategory": [
                  {"LabelName": "Bear", "Subcategory": [{"LabelName": "Teddy"}]}]}]},
              {"LabelName": "Toy", "Subcategory": [{"LabelName": "Teddy"}], "Part": [{"LabelName": "Wheel"}]},
              {"LabelName": "Car"}]}
            """;

    @Test
    void openImagesJsonKeepsTheDeepestOccurrence() throws IOException {
        Path f = Files.writeString(dir.resolve("h.json"), JSON);
        LabelHierarchy h = LabelHierarchyReader.readOpenImagesJson(f);
        assertEquals("Entity", h.root());
        assertEquals(4, h.maxDepth());
        assertEquals(4, h.depth("Teddy"));
        assertEquals(Optional.of("Bear"), h.parent("Teddy"));
        assertEquals(Optional.empty(), h.parent("Entity"));
        assertTrue(!h.contains("Wheel"), "'Part' entries are not categories");
        // collapse: Teddy at d=4 stays, d=3 -> Bear, d=2 -> Mammal, d=1 -> Animal, d=0 -> Entity
        assertEquals(List.of("Teddy", "Bear", "Mammal", "Animal", "Entity"),
                List.of(h.collapse("Teddy", 4), h.collapse("Teddy", 3), h.collapse("Teddy", 2), h.collapse("Teddy", 1),
                        h.collapse("Teddy", 0)));
        assertEquals("Car", h.collapse("Car", 3), "a shallow label is its own bucket below its depth");
        // buckets of labels [Teddy, Car, Toy] at d=1: Animal, Car, Toy -> sorted Animal 0, Car 1, Toy 2
        assertArrayEquals(new int[]{0, 1, 2}, h.bucketsAt(List.of("Teddy", "Car", "Toy"), 1));
        assertArrayEquals(new int[]{0, 0, 0}, h.bucketsAt(List.of("Teddy", "Car", "Toy"), 0));
        assertThrows(IllegalArgumentException.class, () -> h.collapse("Teddy", 5));
    }

    @Test
    void jsonErrorsNameTheFileAndPlace() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"LabelName\": \"E\", \"Subcategory\": [{\"Label\": 1}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelHierarchyReader.readOpenImagesJson(bad));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("$.Subcategory[0].LabelName"), e.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\n\"LabelName\": \"E\",\n ]");
        e = assertThrows(IllegalArgumentException.class, () -> LabelHierarchyReader.readOpenImagesJson(broken));
        assertTrue(e.getMessage().contains("broken.json:3"), e.getMessage());
    }

    @Test
    void tsvWithSeveralTopLabelsGetsASyntheticRoot() throws IOException {
        Path f = Files.writeString(dir.resolve("h.tsv"), "# child<TAB>parent\ncat\tanimal\ndog\tanimal\n\ncar\tvehicle\n");
        LabelHierarchy h = LabelHierarchyReader.readTsv(f);
        assertEquals(LabelHierarchy.SYNTHETIC_ROOT, h.root());
        assertEquals(2, h.maxDepth());
        assertEquals(1, h.depth("animal"));
        assertEquals("vehicle", h.collapse("car", 1));
        Path single = Files.writeString(dir.resolve("s.tsv"), "cat\tanimal\nanimal\tentity\n");
        assertEquals("entity", LabelHierarchyReader.readTsv(single).root());
    }

    @Test
    void tsvErrorsNameTheFileAndLine() throws IOException {
        Path f = Files.writeString(dir.resolve("bad.tsv"), "cat\tanimal\ndog animal\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelHierarchyReader.readTsv(f));
        assertTrue(e.getMessage().contains("bad.tsv:2") && e.getMessage().contains("child<TAB>parent"), e.getMessage());
        Path cycle = Files.writeString(dir.resolve("cycle.tsv"), "a\troot\nb\ta\na\tb\n");
        e = assertThrows(IllegalArgumentException.class, () -> LabelHierarchyReader.readTsv(cycle));
        assertTrue(e.getMessage().contains("cycle.tsv:") && e.getMessage().contains("cycle"), e.getMessage());
        Path self = Files.writeString(dir.resolve("self.tsv"), "a\ta\n");
        e = assertThrows(IllegalArgumentException.class, () -> LabelHierarchyReader.readTsv(self));
        assertTrue(e.getMessage().contains("self.tsv:1"), e.getMessage());
    }

    @Test
    void flatHierarchyIsRootPlusOneLevel() {
        LabelHierarchy h = LabelHierarchy.flat(List.of("b", "a"));
        assertEquals(1, h.maxDepth());
        assertArrayEquals(new int[]{1, 0}, h.bucketsAt(List.of("b", "a"), 1), "buckets in sorted name order");
        assertArrayEquals(new int[]{0, 0}, h.bucketsAt(List.of("b", "a"), 0));
    }
}
