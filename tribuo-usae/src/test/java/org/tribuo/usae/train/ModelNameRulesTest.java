package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.ActivationSetException;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.data.ModelNames;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A model file stores every model's name and its reader refuses an empty one, so no model gets one. */
class ModelNameRulesTest {
    @Test
    void trainingRefusesAnEmptyModelNameBeforeTheFirstStep() {
        InMemoryActivationSet set = TinyTraining.set(3);
        float[][] x = new float[2][];
        for (int i = 0; i < 2; i++) {
            x[i] = new float[(int) set.rows() * set.dim(i)];
            set.readRows(i, java.util.stream.LongStream.range(0, set.rows()).toArray(), x[i]);
        }
        InMemoryActivationSet unnamed = new InMemoryActivationSet(List.of("a", ""), new int[]{set.dim(0), set.dim(1)}, x);
        ActivationSetException e = assertThrows(ActivationSetException.class,
                () -> TinyTraining.trainer(4, 0, 0).train(unnamed));
        assertEquals("cannot train model #1: model name '' is not " + ModelNames.RULE, e.getMessage());
    }

    @Test
    void initializerAndModelCreationRefuseNamesThatAreNotFileSafe() {
        Architecture arch = TinyTraining.trainer(4, 0, 0).settingsFor(new int[]{3}, 64).architecture();
        ActivationSetException e = assertThrows(ActivationSetException.class,
                () -> Initializer.initialize(arch, List.of("a/b"), new int[]{3}, false, new SplittableRandom(1)));
        assertEquals("cannot train model #0: model name 'a/b' is not " + ModelNames.RULE, e.getMessage());

        UsaeParameters unnamed = new UsaeParameters(arch, List.of(new ModelParameters("", 3, arch)));
        e = assertThrows(ActivationSetException.class, () -> UsaeModel.create("usae-model", null, unnamed));
        assertEquals("cannot create a USAE model: model #0: model name '' is not " + ModelNames.RULE, e.getMessage());
    }
}
