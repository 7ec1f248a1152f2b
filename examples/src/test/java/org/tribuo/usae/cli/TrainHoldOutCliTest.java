package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.usae.model.UsaeModel;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tribuo.usae.cli.UsaeCliTest.Run;
import static org.tribuo.usae.cli.UsaeCliTest.usae;

/**
 * {@code usae train}'s {@code --hold-out} default (0.05) applies only where the config file does not set
 * {@code holdOutFraction}: it once overrode a config's own hold-out silently (the vision benchmark then
 * evaluated on the last 5% of the rows instead of the config's 10%).
 */
class TrainHoldOutCliTest {
    @Test
    void theConfigsHoldOutWinsOverTheFlagsDefaultAndTheFlagWinsOverBoth(@TempDir Path tmp) throws Exception {
        Path data = CliRegressionRunTest.data(tmp.resolve("data"), 3, 400);
        Path config = tmp.resolve("trainer.xml");
        Files.writeString(config, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                    <component name="trainer" type="org.tribuo.usae.train.UsaeTrainer">
                        <property name="steps" value="3"/>
                        <property name="numLatents" value="32"/>
                        <property name="k" value="4"/>
                        <property name="batchSize" value="64"/>
                        <property name="holdOutFraction" value="0.2"/>
                    </component>
                </config>
                """);
        assertEquals(0.2, holdOut(train(tmp, "config", "-c", config.toString())));
        assertEquals(0.3, holdOut(train(tmp, "config-and-flag", "-c", config.toString(), "--hold-out", "0.3")));
        assertEquals(0.05, holdOut(train(tmp, "flags", "--steps", "3", "--latents", "32", "-k", "4")));
    }

    private static Path train(Path tmp, String name, String... args) {
        Path out = tmp.resolve(name);
        String[] all = new String[args.length + 5];
        all[0] = "train";
        all[1] = "-d";
        all[2] = tmp.resolve("data").toString();
        all[3] = "-o";
        all[4] = out.toString();
        System.arraycopy(args, 0, all, 5, args.length);
        Run r = usae(all);
        assertEquals(0, r.code(), r.out() + r.err());
        return out;
    }

    private static double holdOut(Path out) throws Exception {
        UsaeModel m = (UsaeModel) Model.deserializeFromFile(out.resolve("model.usae"));
        return Double.parseDouble(m.getProvenance().getTrainerProvenance().getConfiguredParameters()
                .get("holdOutFraction").toString());
    }
}
