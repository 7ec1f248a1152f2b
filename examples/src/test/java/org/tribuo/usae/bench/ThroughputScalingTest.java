package org.tribuo.usae.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThroughputScalingTest {
    @Test
    void variantsHalveAndDoubleOneSizeAtATime() {
        List<ThroughputScaling.Variant> v = ThroughputScaling.variants(ThroughputShape.small());
        List<String> got = v.stream().map(x -> x.varied() + " " + Arrays.toString(x.shape().dims()) + " m"
                + x.shape().latents() + " k" + x.shape().k() + " n" + x.shape().rows()).toList();
        assertEquals(List.of(
                "base [64, 96, 128] m1024 k16 n4096",
                "rows [64, 96, 128] m1024 k16 n2048",
                "rows [64, 96, 128] m1024 k16 n8192",
                "latents [64, 96, 128] m512 k16 n4096",
                "latents [64, 96, 128] m2048 k16 n4096",
                "models [64, 96] m1024 k16 n4096",
                "models [64, 96, 128, 128] m1024 k16 n4096"), got);
    }

    @Test
    void tableRelatesEachVariantToItsRecipesBase() {
        ThroughputShape base = ThroughputShape.small();
        ThroughputShape twice = ThroughputScaling.variants(base).get(2).shape();
        List<ThroughputScaling.Row> rows = List.of(
                new ThroughputScaling.Row("FAITHFUL", "base", base, 100, 1e9),
                new ThroughputScaling.Row("FAITHFUL", "rows", twice, 250, 2e9),
                new ThroughputScaling.Row("SPARC", "base", base, 40, 4e9),
                new ThroughputScaling.Row("SPARC", "rows", twice, 60, 8e9));
        String md = ThroughputScaling.markdown(rows);
        // FAITHFUL: 250 / 100 = 2.50 measured, 2e9 / 1e9 = 2.00 predicted; SPARC: 60 / 40 = 1.50, 2.00
        assertTrue(md.contains("| FAITHFUL | rows | [64, 96, 128] | 1024 | 8192 | 250.0 | 2.50 | 2.00 |"), md);
        assertTrue(md.contains("| SPARC | rows | [64, 96, 128] | 1024 | 8192 | 60.0 | 1.50 | 2.00 |"), md);
        assertTrue(md.contains("| SPARC | base | [64, 96, 128] | 1024 | 4096 | 40.0 | 1.00 | 1.00 |"), md);
    }
}
