package org.tribuo.usae.model;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Example;
import org.tribuo.impl.ArrayExample;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.sae.SparseCodes;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.train.UsaeTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One UsaeModel shared by many threads gives exactly the serial results: encode, encodeJoint,
 * decode, crossReconstruct and predict, for a BatchNorm/per-model-TopK model (FAITHFUL) and an
 * affine/global-TopK one (SPARC). Batches are large enough for the native (ND4J) GEMM path.
 */
class UsaeModelConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ITERATIONS = 40;
    private static final int ROWS = 96;

    record Results(SparseCodes[] codes, SparseCodes[] joint, float[][] decoded, float[] cross, ConceptActivations predicted) {
    }

    private static UsaeModel train(String recipe, PlantedData d) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        Map.of("recipe", recipe, "numLatents", "128", "k", "8", "batchSize", "128", "steps", "10", "auxK", "16")
                .forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        UsaeTrainer t = (UsaeTrainer) cm.lookup("trainer");
        return t.train(new InMemoryActivationSet(List.of(d.names()), d.dims(), d.x()));
    }

    private static Results run(UsaeModel model, float[][] raw, Example<ConceptActivations> example) {
        int n = raw.length;
        SparseCodes[] codes = new SparseCodes[n];
        float[][] decoded = new float[n][];
        for (int i = 0; i < n; i++) {
            codes[i] = model.encode(i, raw[i], ROWS);
            decoded[i] = model.decode(codes[i], (i + 1) % n);
        }
        SparseCodes[] joint = model.encodeJoint(raw, ROWS);
        float[] cross = model.crossReconstruct(0, n - 1, raw[0], ROWS);
        return new Results(codes, joint, decoded, cross, model.predict(example).getOutput());
    }

    private static void assertSame(Results want, Results got, String where) {
        for (int i = 0; i < want.codes().length; i++) {
            assertArrayEquals(want.codes()[i].values(), got.codes()[i].values(), where + " encode values " + i);
            assertArrayEquals(want.codes()[i].indices(), got.codes()[i].indices(), where + " encode indices " + i);
            assertArrayEquals(want.joint()[i].values(), got.joint()[i].values(), where + " joint values " + i);
            assertArrayEquals(want.joint()[i].indices(), got.joint()[i].indices(), where + " joint indices " + i);
            assertArrayEquals(want.decoded()[i], got.decoded()[i], where + " decode " + i);
        }
        assertArrayEquals(want.cross(), got.cross(), where + " crossReconstruct");
        assertEquals(want.predicted(), got.predicted(), where + " predict");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FAITHFUL", "SPARC"})
    void eightThreadsGetExactlyTheSerialResults(String recipe) throws Exception {
        PlantedData d = PlantedConcepts.generate(PlantedOptions.demo().withRows(2000));
        UsaeModel model = train(recipe, d);
        int n = d.numModels();
        List<float[][]> inputs = new ArrayList<>();
        List<Example<ConceptActivations>> examples = new ArrayList<>();
        List<Results> serial = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            float[][] raw = new float[n][];
            for (int i = 0; i < n; i++) {
                int dim = d.dims()[i];
                raw[i] = Arrays.copyOfRange(d.x()[i], s * ROWS * dim, (s + 1) * ROWS * dim);
            }
            String[] names = new String[d.dims()[1]];
            double[] values = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                names[c] = UsaeModel.featureName(d.names()[1], c);
                values[c] = raw[1][c];
            }
            inputs.add(raw);
            examples.add(new ArrayExample<>(ConceptActivations.UNKNOWN, names, values));
            serial.add(run(model, raw, examples.get(s)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Integer> task = () -> {
                    start.await();
                    for (int it = 0; it < ITERATIONS; it++) {
                        int s = (thread + it) % inputs.size();
                        assertSame(serial.get(s), run(model, inputs.get(s), examples.get(s)),
                                recipe + " thread " + thread + " iteration " + it);
                    }
                    return ITERATIONS;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            int done = 0;
            for (Future<Integer> f : futures) {
                done += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(THREADS * ITERATIONS, done);
        } finally {
            pool.shutdownNow();
        }
    }
}
