package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.engine.EngineKind;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap estimate made before training: close to a hand count, and a run that cannot fit is refused. */
class MemoryEstimateTest {
    private static UsaeTrainer trainer(Map<String, String> fields) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        fields.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }

    @Test
    void smallAlignedRunMatchesAHandCountWithin25Percent() {
        int[] dims = {48, 32, 64};
        long trainRows = 10_000;
        UsaeTrainer t = trainer(Map.of("recipe", "ALIGNED", "numLatents", "512", "k", "8", "batchSize", "256",
                "steps", "100", "standardizationRows", "1000"));
        MemoryEstimate e = MemoryEstimate.of(t.settingsFor(dims, trainRows), dims, trainRows, EngineKind.CPU);
        // Hand count, float32 (4 bytes), m = 512, D = 48 + 32 + 64 = 144, B = 256, 3 models:
        //   encoder weight + dictionary: 2 x 512 x 144 = 147,456 values       (biases: 2,000 more, ignored)
        //   AdamW moments 2x, gradients 1x, normalised decoders + their gradient 2 x 512 x 144
        //     -> 147,456 x (1 + 2 + 1) + 147,456 = 737,280 values
        //   per step: pre-activations, their gradient and codes per model: 3 x 256 x 512 x 3 = 1,179,648
        //     dense codes and gradient, summed pre-activations:            3 x 256 x 512   =   393,216
        //     reconstructions, residuals, gradients, aux, batch, inputs: ~8 x 256 x 144   =   294,912
        //   total about 2,605,056 values = 10.4 MB
        double hand = 4.0 * (737_280 + 1_179_648 + 393_216 + 294_912);
        assertEquals(4L * (2 * 512 * 144 + 3 * 512 + 144), e.parameterBytes(), "parameters are counted exactly");
        assertEquals(2 * e.parameterBytes(), e.optimizerBytes());
        double ratio = e.bytes() / hand;
        assertTrue(ratio > 0.8 && ratio < 1.25, "estimate " + e.bytes() + " vs hand " + hand + " (ratio " + ratio + ")");
        assertTrue(e.fits(Runtime.getRuntime().maxMemory()));

        MemoryEstimate ref = MemoryEstimate.of(t.settingsFor(dims, trainRows), dims, trainRows, EngineKind.REFERENCE);
        assertTrue(ref.bytes() > 1.5 * e.bytes(), "the double-precision engine needs more");
    }

    @Test
    void aRunLargerThanTheHeapIsRefusedBeforeAllocating() {
        long max = Runtime.getRuntime().maxMemory();
        int d = 64;
        // parameters alone (2 m d floats, x4 with AdamW) exceed the heap
        long m = Math.min(Integer.MAX_VALUE / d - 1, max / (4L * 2 * d) + 1);
        UsaeTrainer t = trainer(Map.of("recipe", "ALIGNED", "numLatents", Long.toString(m), "k", "8",
                "batchSize", "16", "steps", "5"));
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("a"), new int[]{d}, new float[][]{new float[100 * d]});
        long before = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(set));
        String msg = e.getMessage();
        assertTrue(msg.contains("Java heap") && msg.contains("m=" + m) && msg.contains("-Xmx")
                && msg.contains("USAE_JAVA_OPTS=-Xmx"), msg);
        assertTrue((System.nanoTime() - before) < 5_000_000_000L, "refused at once, not after allocating");
        MemoryEstimate est = MemoryEstimate.of(t.settingsFor(new int[]{d}, 100), new int[]{d}, 100, EngineKind.CPU);
        assertTrue(!est.fits(max) && est.recommendedHeapGiB() * (1L << 30) * MemoryEstimate.USABLE_FRACTION >= est.bytes());
        assertTrue(msg.contains("-Xmx" + est.recommendedHeapGiB() + "g"), msg);
    }
}
