package org.tribuo.usae.train;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.engine.StepOutput;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.DictionaryConstraint;
import org.tribuo.usae.sae.EncoderKind;
import org.tribuo.usae.sae.ModelParameters;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.ReconstructionLoss;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.SparsityKind;
import org.tribuo.usae.sae.UpdateRule;
import org.tribuo.usae.sae.UsaeParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which learning rate each update gets: per global step (default) or the official per-source quirk. */
class ScheduleStepTest {
    private static final Architecture ARCH = new Architecture(4, 2, EncoderKind.AFFINE, SparsityKind.TOPK, false,
            DictionaryConstraint.ROW_NORMALIZED);

    private static TrainingSettings settings(boolean perSource) {
        Objective obj = new Objective(ReconstructionLoss.L2, AuxLossKind.NONE, 0, 0, 0, SourceSelection.RANDOM_ONE,
                UpdateRule.SOURCE_ONLY, 10, 0);
        return new TrainingSettings(ARCH, obj, new AdamWConfig(0.9, 0.999, 1e-8, 0), 1.0, 0.0, 0.1, true, perSource,
                0, 0, false, 8, 10, 3, 100, 1);
    }

    /** A step that gives model {@code source} a zero gradient on its encoder bias only. */
    private static StepOutput step(UsaeParameters params, int source) {
        List<Map<String, float[]>> grads = new ArrayList<>();
        for (int i = 0; i < params.numModels(); i++) {
            grads.add(i == source ? Map.of(ModelParameters.ENC_BIAS, new float[4]) : Map.of());
        }
        boolean[][] fired = new boolean[params.numModels()][4];
        return new StepOutput(0, 0, 0, grads, new float[2][], new float[2][], fired, 2);
    }

    private static double[] rates(boolean perSource, int[] sources) {
        UsaeParameters params = Initializer.initialize(ARCH, List.of("a", "b"), new int[]{3, 3}, false, new SplittableRandom(1));
        TrainingState state = new TrainingState(params, new org.tribuo.usae.train.Rng64(2), new org.tribuo.usae.train.Rng64(3));
        ParameterUpdate update = new ParameterUpdate(settings(perSource));
        double[] lr = new double[sources.length];
        for (int t = 0; t < sources.length; t++) {
            lr[t] = update.apply(state, step(params, sources[t]), new int[]{sources[t]});
        }
        return lr;
    }

    @Test
    void perGlobalStepFollowsTheScheduleWhateverTheSource() {
        LrSchedule s = LrSchedule.cosine(1.0, 0.0, 0.1, 10, 3);
        double[] lr = rates(false, new int[]{0, 1, 1, 0});
        assertArrayEquals(new double[]{s.at(0), s.at(1), s.at(2), s.at(3)}, lr, 1e-12);
    }

    @Test
    void perSourceQuirkStartsEachModelAtTheBaseRateThenWalksItsOwnSchedule() {
        LrSchedule s = LrSchedule.cosine(1.0, 0.0, 0.1, 10, 3);
        double[] lr = rates(true, new int[]{0, 1, 1, 0, 0});
        // model 0: updates #0, #1, #2 -> base, s[1], s[2]; model 1: #0, #1 -> base, s[1]
        assertArrayEquals(new double[]{1.0, 1.0, s.at(1), s.at(1), s.at(2)}, lr, 1e-12);
        assertEquals(0.55, s.at(1), 1e-12); // linspace(0.1, 1.0, 3)[1]
    }
}
