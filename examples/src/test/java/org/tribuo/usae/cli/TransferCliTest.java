package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.metrics.labels.InputLabelFile;
import org.tribuo.usae.synth.PlantedData;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code usae transfer} on planted inputs labelled by their strongest shared concept (mod 4): every network's
 * classifier reads every other network's concepts above the majority guess, and transfer keeps most of the accuracy.
 */
class TransferCliTest {
    static final int INPUTS = 1500;
    static final int TOKENS = 1;

    @Test
    void classifiersOnOneNetworksConceptsReadTheOthers(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("set");
        PlantedData d = UsaeCliTest.plantedInputs(data, INPUTS, TOKENS);
        long[] labels = new long[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            labels[i] = d.strongestShared()[i * TOKENS] % 4;
        }
        Npy.writeInt64(data.resolve(InputLabelFile.LABELS_FILE), labels, INPUTS, 1);
        Files.write(data.resolve(InputLabelFile.NAMES_FILE), List.of("a", "b", "c", "d"), StandardCharsets.UTF_8);
        UsaeCliTest.Run train = UsaeCliTest.usae("train", "-d", data.toString(), "-o", tmp.resolve("m").toString(),
                "--steps", "300", "--latents", "64", "-k", "4", "--batch-size", "256", "--hold-out", "0");
        assertEquals(0, train.code(), train.err());
        UsaeCliTest.Run r = UsaeCliTest.usae("transfer", "-m", tmp.resolve("m").toString(), "-d", data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1200 inputs trained on, 300 tested on, 4 labels"), r.out());
        String[] lines = r.out().strip().split("\n");
        List<double[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("alpha ") || line.startsWith("beta ") || line.startsWith("gamma ")) {
                String[] f = line.trim().split("\\s+");
                rows.add(new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        assertEquals(3, rows.size(), r.out());
        double majority = Double.parseDouble(r.out().replaceFirst("(?s).*most frequent: ([0-9.]+)\\).*", "$1"));
        double diagonal = 0;
        double off = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                assertTrue(rows.get(a)[b] > majority + 0.1, "accuracy " + rows.get(a)[b] + " against the majority guess "
                        + majority + ":\n" + r.out());
                if (a == b) {
                    diagonal += rows.get(a)[b] / 3;
                } else {
                    off += rows.get(a)[b] / 6;
                }
            }
        }
        assertTrue(off > 0.8 * diagonal, "transfer " + off + " against direct " + diagonal + ":\n" + r.out());
        UsaeCliTest.Run noLabels = UsaeCliTest.usae("transfer", "-m", tmp.resolve("m").toString(), "-d",
                UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("plain")), 100).toString());
        assertEquals(2, noLabels.code());
        assertTrue(noLabels.err().contains("has no labels.npy; transfer needs one label per input"), noLabels.err());
    }
}
