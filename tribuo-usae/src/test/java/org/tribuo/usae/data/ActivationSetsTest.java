package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.usae.model.ConceptActivations;
import org.tribuo.usae.model.ConceptActivationsFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tribuo interop: unsupervised examples whose features are named {@code <model>:<index>}. */
class ActivationSetsTest {
    private static MutableDataset<ConceptActivations> dataset() {
        InMemoryActivationSet prov = new InMemoryActivationSet(List.of("p"), new int[]{1}, new float[][]{{0}});
        return new MutableDataset<>(prov.provenance(), new ConceptActivationsFactory());
    }

    private static Example<ConceptActivations> ex(String[] names, double[] values) {
        return new ArrayExample<>(ConceptActivations.UNKNOWN, names, values);
    }

    @Test
    void roundTripThroughMutableDataset() {
        MutableDataset<ConceptActivations> ds = dataset();
        ds.add(ex(new String[]{"vit:0", "vit:2", "dino:v2:1"}, new double[]{1, 3, 5}));
        ds.add(ex(new String[]{"vit:1", "dino:v2:0"}, new double[]{2, 4}));
        InMemoryActivationSet s = ActivationSets.fromDataset(ds);
        assertEquals(List.of("dino:v2", "vit"), s.modelNames()); // split at the last ':'
        assertEquals(2, s.rows());
        assertEquals(2, s.dim(0));
        assertEquals(3, s.dim(1));
        assertArrayEquals(new float[]{0, 5, 4, 0}, s.data(0));
        assertArrayEquals(new float[]{1, 0, 3, 0, 2, 0}, s.data(1));
    }

    @Test
    void badFeatureNamesAreRejected() {
        MutableDataset<ConceptActivations> ds = dataset();
        ds.add(ex(new String[]{"vit:0", "plain"}, new double[]{1, 2}));
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ActivationSets.fromDataset(ds));
        assertTrue(e.getMessage().contains("'plain'") && e.getMessage().contains("<model>:<index>"), e.getMessage());

        MutableDataset<ConceptActivations> ds2 = dataset();
        ds2.add(ex(new String[]{"vit:x"}, new double[]{1}));
        e = assertThrows(ActivationSetException.class, () -> ActivationSets.fromDataset(ds2));
        assertTrue(e.getMessage().contains("'vit:x'") && e.getMessage().contains("not an integer"), e.getMessage());
    }
}
