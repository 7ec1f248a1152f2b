package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Rng64Test {
    @Test
    void matchesSplittableRandomIncludingSplitsAndBoundedDraws() {
        for (long seed : new long[]{0, 1, 42, -7, Long.MAX_VALUE}) {
            SplittableRandom a = new SplittableRandom(seed);
            Rng64 b = new Rng64(seed);
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 200; i++) {
                    assertEquals(a.nextLong(), b.nextLong());
                    assertEquals(a.nextDouble(), b.nextDouble());
                    int bound = 1 + (i * 7919) % 1000 + (i % 3 == 0 ? 1 << 30 : 0);
                    assertEquals(a.nextInt(bound), b.nextInt(bound), "bound " + bound);
                    assertEquals(a.nextInt(8), b.nextInt(8));
                }
                a = a.split();
                b = b.split();
            }
        }
    }

    @Test
    void restoredStateContinuesTheStream() {
        Rng64 a = new Rng64(3).split();
        a.nextLong();
        Rng64 b = Rng64.restore(a.seed(), a.gamma());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextInt(3), b.nextInt(3));
        }
    }
}
