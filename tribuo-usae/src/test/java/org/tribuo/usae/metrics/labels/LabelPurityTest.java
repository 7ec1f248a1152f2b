package org.tribuo.usae.metrics.labels;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabelPurityTest {
    /*
     * Stream A: latent0 {in0 cat, in1 dog} -> cat 1, dog 1, tie -> cat (lower id), purity 1/2;
     *           latent1 {in2 car} 1; latent2 {in0} 1; latent3 {in0} 1 -> mean (0.5 + 1 + 1 + 1)/4 = 0.875
     * Stream B: latent0 {in0 cat, in3 cat+car} -> cat 2 of 2 = 1; latent1 1; latent2 dead; latent3 {in1} 1
     *           -> live mean 1.0 (3 live); counting the dead as 0: 3/4 = 0.75
     * Stream C: latent1 fires only on unlabelled in4 -> dead; latent3 {in0 cat, in1 dog} -> 1/2
     *           -> live mean 0.5 (1 live); counting dead: 0.5/4 = 0.125
     */
    @Test
    void handMadePurityExcludingDeadLatents() {
        LabelPurity.Result r = LabelPurity.compute(HandMadeCodes.STREAMS, HandMadeCodes.streams(), HandMadeCodes.labels(),
                LabelPurity.Options.defaults());
        assertEquals(List.of(0.875, 1.0, 0.5), r.streams().stream().map(LabelPurity.StreamPurity::meanPurity).toList());
        assertEquals(List.of(4, 3, 1), r.streams().stream().map(LabelPurity.StreamPurity::liveLatents).toList());
        assertEquals((0.875 + 1.0 + 0.5) / 3, r.meanOverStreams(), 1e-12);
    }

    @Test
    void deadLatentsCountingAsZero() {
        LabelPurity.Result r = LabelPurity.compute(HandMadeCodes.STREAMS, HandMadeCodes.streams(), HandMadeCodes.labels(),
                new LabelPurity.Options(0, LabelPurity.DeadLatents.COUNT_AS_ZERO));
        assertEquals(List.of(0.875, 0.75, 0.125), r.streams().stream().map(LabelPurity.StreamPurity::meanPurity).toList());
    }

    @Test
    void topOneKeepsTheStrongestInput() {
        // A latent0: in1 (dog, code 2.0) beats in0 (code 1.0) -> purity 1, so A = 1.0; B latent0 codes tie
        // (1.0, 1.0) -> lower input in0 (cat) -> 1; C latent3 tie -> in0 -> 1. Every stream is 1.0.
        LabelPurity.Result r = LabelPurity.compute(HandMadeCodes.STREAMS, HandMadeCodes.streams(), HandMadeCodes.labels(),
                new LabelPurity.Options(1, LabelPurity.DeadLatents.EXCLUDE));
        assertEquals(List.of(1.0, 1.0, 1.0), r.streams().stream().map(LabelPurity.StreamPurity::meanPurity).toList());
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LabelPurity.Options(-1, LabelPurity.DeadLatents.EXCLUDE));
        assertThrows(IllegalArgumentException.class, () -> new LabelPurity.Options(0, null));
    }
}
