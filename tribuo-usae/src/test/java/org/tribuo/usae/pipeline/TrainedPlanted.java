package org.tribuo.usae.pipeline;

import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.synth.PlantedConcepts;
import org.tribuo.usae.synth.PlantedData;
import org.tribuo.usae.synth.PlantedOptions;
import org.tribuo.usae.train.ConfiguredTrainers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The jobs' test subject: a small USAE trained on the demo's planted set, a fifth of its rows held out. */
final class TrainedPlanted {
    static final double HOLD_OUT = 0.2;
    static final InMemoryActivationSet SET;
    static final UsaeModel MODEL;

    static {
        PlantedData planted = PlantedConcepts.generate(PlantedOptions.demo());
        SET = new InMemoryActivationSet(List.of(planted.names()), planted.dims(), planted.x());
        MODEL = ConfiguredTrainers.of(Map.of("steps", "30", "numLatents", "64", "k", "4", "batchSize", "256",
                "holdOutFraction", Double.toString(HOLD_OUT), "seed", "3")).train(SET);
    }

    private TrainedPlanted() {
    }

    /** @return the first held-out row. */
    static long firstHeldOut() {
        return SET.rows() - Math.round(SET.rows() * HOLD_OUT);
    }

    /** @return a log that discards what it is given. */
    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
