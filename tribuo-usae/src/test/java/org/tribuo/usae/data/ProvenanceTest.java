package org.tribuo.usae.data;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ProvenanceTest {
    @TempDir
    Path tmp;

    @Test
    void inMemoryProvenanceSurvivesMarshalling() {
        InMemoryActivationSet s = new InMemoryActivationSet(List.of("a", "b"), new int[]{2, 1},
                new float[][]{{1, 2, 3, 4}, {5, 6}});
        ActivationSetProvenance p = s.provenance();
        assertEquals(p, ProvenanceUtil.unmarshalProvenance(ProvenanceUtil.marshalProvenance(p)));
        assertEquals(2, p.models().size());
        assertEquals(Sha256.ofFloats(new float[]{5, 6}), p.models().get(1).sha256());
        InMemoryActivationSet other = new InMemoryActivationSet(List.of("a", "b"), new int[]{2, 1},
                new float[][]{{1, 2, 3, 4}, {5, 7}});
        assertNotEquals(p, other.provenance());
    }

    @Test
    void fileProvenanceSurvivesMarshalling() {
        Path dir = tmp.resolve("set");
        ActivationSetWriter.write(new InMemoryActivationSet(List.of("x", "y"), new int[]{1, 1},
                new float[][]{{1, 2}, {3, 4}}), dir, 10);
        try (NpyActivationSet s = NpyActivationSet.open(dir)) {
            ActivationSetProvenance p = s.provenance();
            assertEquals(p, ProvenanceUtil.unmarshalProvenance(ProvenanceUtil.marshalProvenance(p)));
            assertEquals(dir.toAbsolutePath().toString(), p.folder());
            assertEquals(2, p.rows());
            assertEquals("y", p.models().get(1).model());
        }
    }
}
