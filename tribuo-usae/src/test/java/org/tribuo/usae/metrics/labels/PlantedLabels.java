package org.tribuo.usae.metrics.labels;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.train.UsaeTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A planted 3-model set where every token row holds exactly one of 8 shared concepts (plus small
 * noise), two token rows per input (input id = row / 2), and each input is labelled with the
 * concepts of its tokens (one or two labels): labels derived from the planted truth.
 */
final class PlantedLabels {
    static final int ROWS = 1200;
    static final int CONCEPTS = 8;
    static final PlantedData DATA = PlantedConcepts.generate(
            new PlantedOptions(new int[]{12, 10, 16}, new String[]{"a", "b", "c"}, CONCEPTS, 0, 1, 0.02, ROWS, 5L));

    private PlantedLabels() {
    }

    static InMemoryActivationSet set() {
        long[] input = new long[ROWS];
        long[] pos = new long[ROWS];
        for (int r = 0; r < ROWS; r++) {
            input[r] = r / 2;
            pos[r] = r % 2;
        }
        return new InMemoryActivationSet(List.of(DATA.names()), DATA.dims(), DATA.x(), RowIndex.of(input, pos));
    }

    /** The planted concept of a row: the shared direction with the largest projection in model 0. */
    static int concept(int row) {
        float[] x = DATA.row(0, row);
        int best = 0;
        double bestDot = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CONCEPTS; c++) {
            double dot = 0;
            for (int t = 0; t < x.length; t++) {
                dot += x[t] * DATA.sharedDirections()[0][c][t];
            }
            if (dot > bestDot) {
                bestDot = dot;
                best = c;
            }
        }
        return best;
    }

    static LabelTable labels() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CONCEPTS; c++) {
            names.add("concept" + c);
        }
        int[][] l = new int[ROWS / 2][];
        for (int i = 0; i < l.length; i++) {
            l[i] = Arrays.stream(new int[]{concept(2 * i), concept(2 * i + 1)}).distinct().toArray();
        }
        return LabelTable.of(names, l);
    }

    static UsaeModel train() {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        Map.of("recipe", "SPARC", "numLatents", "32", "k", "2", "batchSize", "128", "steps", "150", "auxK", "8")
                .forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        UsaeTrainer t = (UsaeTrainer) cm.lookup("trainer");
        return t.train(new InMemoryActivationSet(List.of(DATA.names()), DATA.dims(), DATA.x()));
    }
}
