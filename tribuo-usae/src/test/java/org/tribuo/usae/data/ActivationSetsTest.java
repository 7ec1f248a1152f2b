package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.impl.ArrayExample;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Tribuo interop. The real OutputFactory (ConceptActivationsFactory) arrives later, so a Mockito
 * factory and a mock Output stand in: MutableDataset only asks the factory for an output info.
 */
class ActivationSetsTest {
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MutableDataset<DummyOutput> dataset() {
        OutputFactory<DummyOutput> factory = mock(OutputFactory.class);
        MutableOutputInfo info = mock(MutableOutputInfo.class);
        when(factory.generateInfo()).thenReturn(info);
        InMemoryActivationSet prov = new InMemoryActivationSet(List.of("p"), new int[]{1}, new float[][]{{0}});
        return new MutableDataset<>(prov.provenance(), factory);
    }

    private static Example<DummyOutput> ex(String[] names, double[] values) {
        return new ArrayExample<>(mock(DummyOutput.class), names, values);
    }

    /** A mockable Output type for the dataset's generic parameter. */
    interface DummyOutput extends Output<DummyOutput> {
    }

    @Test
    void roundTripThroughMutableDataset() {
        MutableDataset<DummyOutput> ds = dataset();
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
        MutableDataset<DummyOutput> ds = dataset();
        ds.add(ex(new String[]{"vit:0", "plain"}, new double[]{1, 2}));
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ActivationSets.fromDataset(ds));
        assertTrue(e.getMessage().contains("'plain'") && e.getMessage().contains("<model>:<index>"), e.getMessage());

        MutableDataset<DummyOutput> ds2 = dataset();
        ds2.add(ex(new String[]{"vit:x"}, new double[]{1}));
        e = assertThrows(ActivationSetException.class, () -> ActivationSets.fromDataset(ds2));
        assertTrue(e.getMessage().contains("'vit:x'") && e.getMessage().contains("not an integer"), e.getMessage());
    }
}
