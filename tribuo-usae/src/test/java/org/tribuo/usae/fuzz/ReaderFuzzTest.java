package org.tribuo.usae.fuzz;

import static org.tribuo.usae.fuzz.ReaderFuzzCases.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.ActivationSetException;
import org.tribuo.usae.data.BatchStream;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyActivationSet;
import org.tribuo.usae.data.NpyArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Table-driven fuzzing of every reader: .npy headers and bodies, activation-set folders,
 * manifest.json, the row index and batch-time NaN/Inf checks, plus seeded random byte mutations
 * of a valid .npy file and a valid manifest. Every bad input must fail with an
 * {@link ActivationSetException} whose message names the file and the problem; nothing may throw
 * another exception type, hang or run out of memory.
 */
class ReaderFuzzTest {

    @TempDir
    Path tmp;

    int counter;

    Path fresh() throws IOException {
        return Files.createDirectories(tmp.resolve("c" + (counter++)).resolve("set"));
    }

    List<String> runAll(List<Case> cases) throws Exception {
        List<String> bad = new ArrayList<>();
        for (Case c : cases) {
            Path dir = fresh();
            c.build().into(dir);
            String why = check(dir, c.read(), c.mentions());
            if (why != null) {
                bad.add(c.name() + ": " + why);
            }
        }
        return bad;
    }

    @Test
    void everyReaderRefusesBadInputWithAClearError() throws Exception {
        List<Case> npy = npyCases();
        List<Case> manifest = manifestCases();
        List<String> bad = new ArrayList<>(runAll(npy));
        bad.addAll(runAll(manifest));
        int mutants = 200;
        bad.addAll(npyMutants(mutants));
        int manifestMutants = 100;
        bad.addAll(manifestMutants(manifestMutants));
        int total = npy.size() + manifest.size() + mutants + manifestMutants;
        System.out.println("fuzz: " + total + " cases (.npy " + npy.size() + ", manifest " + manifest.size()
                + ", .npy mutants " + mutants + ", manifest mutants " + manifestMutants + "), " + (total - bad.size())
                + " behaved");
        bad.forEach(s -> System.out.println("  misbehaved: " + s));
        assertEquals(List.of(), bad);
    }

    /** Random byte mutations (1-4 bytes, mostly in the header) of a valid file: same shape, or ActivationSetException. */
    List<String> npyMutants(int count) throws Exception {
        byte[] good = valid();
        Random rng = new Random(20250611L);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = good.clone();
            int edits = 1 + rng.nextInt(4);
            StringBuilder what = new StringBuilder();
            for (int e = 0; e < edits; e++) {
                int pos = rng.nextInt(4) == 0 ? rng.nextInt(b.length) : rng.nextInt(128);
                byte v = (byte) rng.nextInt(256);
                what.append(pos).append('=').append(v & 0xFF).append(' ');
                b[pos] = v;
            }
            int cut = rng.nextInt(10) == 0 ? rng.nextInt(b.length) : b.length;
            byte[] mutant = Arrays.copyOf(b, cut);
            Path dir = fresh();
            Files.write(dir.resolve("a.npy"), mutant);
            String why = mutantCheck(dir);
            if (why != null) {
                bad.add("npy mutant " + i + " [" + what + "cut " + cut + "]: " + why);
            }
        }
        return bad;
    }

    private String mutantCheck(Path dir) {
        long[] shape = {-1, -1};
        String why = check(dir, d -> {
            try (NpyArray a = Npy.openActivations(d.resolve("a.npy"))) {
                shape[1] = a.cols();
                shape[0] = a.rows();
                float[] row = new float[a.cols()];
                for (long r = 0; r < a.rows(); r++) {
                    a.readRow(r, row, 0);
                }
            }
            throw new ActivationSetException("loaded a.npy");
        }, "a.npy");
        if (why != null) {
            return why;
        }
        boolean loaded = shape[0] >= 0;
        if (loaded && (shape[0] != 4 || shape[1] != 3)) {
            return "loaded with a different shape (" + shape[0] + ", " + shape[1] + ")";
        }
        return null;
    }

    /** Random character mutations of a valid manifest: the set opens, or fails with ActivationSetException. */
    List<String> manifestMutants(int count) throws Exception {
        String good = "{\"format_version\": 1, \"rows\": 4, \"models\": [" + A + ", " + B + "]}";
        String alphabet = "{}[]\":,. -01234ab\\/\n";
        Random rng = new Random(77L);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            char[] c = good.toCharArray();
            int edits = 1 + rng.nextInt(3);
            for (int e = 0; e < edits; e++) {
                c[rng.nextInt(c.length)] = alphabet.charAt(rng.nextInt(alphabet.length()));
            }
            String text = new String(c);
            Path dir = fresh();
            set(text).into(dir);
            String why = check(dir, d -> {
                try (NpyActivationSet s = NpyActivationSet.open(d)) {
                    s.rows();
                }
                throw new ActivationSetException("opened");
            });
            if (why != null) {
                bad.add("manifest mutant " + i + " " + text + ": " + why);
            }
        }
        return bad;
    }
}
