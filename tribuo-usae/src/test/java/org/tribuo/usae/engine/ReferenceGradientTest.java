package org.tribuo.usae.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.usae.sae.Architecture;
import org.tribuo.usae.sae.AuxLossKind;
import org.tribuo.usae.sae.Objective;
import org.tribuo.usae.sae.SourceSelection;
import org.tribuo.usae.sae.UpdateRule;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central finite differences (double precision, tiny shapes) against the reference engine's
 * analytic gradients, for every encoder, sparsity, loss, aux loss, dictionary and bias option.
 */
class ReferenceGradientTest {
    private static final int[] DIMS = {5, 4, 6};
    private static final int ROWS = 7;
    private static final double EPS = 1e-6;

    static Stream<Arguments> configurations() {
        return EngineConfigurations.all(8, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void analyticGradientsMatchFiniteDifferences(String name, Architecture arch, Objective obj) {
        List<RefModel> models = TestParams.random(arch, DIMS, 11).models().stream().map(RefModel::of).toList();
        double[][] x = TestParams.data(DIMS, ROWS, 12);
        int[] sources = obj.sources() == SourceSelection.ALL ? new int[]{0, 1, 2} : new int[]{1};
        long[][] steps = new long[3][8];
        for (long[] s : steps) {
            for (int j = 0; j < s.length; j += 2) {
                s[j] = 100; // half the latents dead, so AuxK has work to do
            }
        }
        ReferenceEngine engine = new ReferenceEngine();
        ReferenceEngine.Result base = engine.lossAndGradients(arch, models, x, ROWS, sources, obj, steps);
        assertTrue(base.loss() > 0 && Double.isFinite(base.loss()), name + ": loss " + base.loss());
        if (obj.aux() != AuxLossKind.NONE) {
            assertTrue(base.auxLoss() > 0, name + ": the aux loss must contribute");
        }
        double[][] frozen = base.auxTargets();
        int checked = 0;
        for (int i = 0; i < models.size(); i++) {
            for (Map.Entry<String, double[]> e : base.gradients().get(i).entrySet()) {
                double[] param = models.get(i).params().get(e.getKey());
                double[] grad = e.getValue();
                assertEquals(param.length, grad.length, name + " " + e.getKey());
                for (int q = 0; q < param.length; q++) {
                    double orig = param[q];
                    param[q] = orig + EPS;
                    double up = engine.lossAndGradients(arch, models, x, ROWS, sources, obj, steps, frozen).loss();
                    param[q] = orig - EPS;
                    double down = engine.lossAndGradients(arch, models, x, ROWS, sources, obj, steps, frozen).loss();
                    param[q] = orig;
                    double fd = (up - down) / (2 * EPS);
                    assertEquals(fd, grad[q], 1e-6 + 1e-5 * Math.abs(fd),
                            name + ": model " + i + " " + e.getKey() + "[" + q + "]");
                    checked++;
                }
            }
        }
        assertTrue(checked > 150, name + ": too few entries checked: " + checked);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void sourceOnlyKeepsExactlyTheSourcesFullGradients(String name, Architecture arch, Objective all) {
        Objective sourceOnly = new Objective(all.reconstruction(), all.aux(), all.auxWeight(), all.auxK(),
                all.crossWeight(), all.sources(), UpdateRule.SOURCE_ONLY, all.deadSteps(), all.fireThreshold(), all.matryoshkaLevels());
        List<RefModel> models = TestParams.random(arch, DIMS, 3).models().stream().map(RefModel::of).toList();
        double[][] x = TestParams.data(DIMS, ROWS, 4);
        int[] sources = all.sources() == SourceSelection.ALL ? new int[]{0, 1, 2} : new int[]{2};
        ReferenceEngine engine = new ReferenceEngine();
        ReferenceEngine.Result full = engine.lossAndGradients(arch, models, x, ROWS, sources, all, null);
        ReferenceEngine.Result kept = engine.lossAndGradients(arch, models, x, ROWS, sources, sourceOnly, null);
        for (int i = 0; i < 3; i++) {
            boolean isSource = sources.length == 3 || sources[0] == i;
            if (!isSource) {
                assertTrue(kept.gradients().get(i).isEmpty(), name + ": non-source model " + i + " must get no update");
                assertFalse(full.gradients().get(i).isEmpty(), name + ": its dictionary does get a cross gradient");
                continue;
            }
            assertEquals(full.gradients().get(i).keySet(), kept.gradients().get(i).keySet());
            for (String t : full.gradients().get(i).keySet()) {
                double[] a = full.gradients().get(i).get(t);
                double[] b = kept.gradients().get(i).get(t);
                for (int q = 0; q < a.length; q++) {
                    assertEquals(a[q], b[q], 0.0, name + " " + t);
                }
            }
        }
    }
}
