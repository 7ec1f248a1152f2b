package org.tribuo.usae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.data.Npy;
import org.tribuo.usae.data.NpyArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Regressions for issue 17's input cases, as users hit them with {@code usae train}: each must exit
 * 2 with one stderr line naming the file at fault and write no {@code model.usae}.
 */
class CliRegressionInputTest {
    @TempDir
    Path tmp;

    private Path data() throws IOException {
        return UsaeCliTest.plainNpyFolder(Files.createDirectories(tmp.resolve("acts")), 400);
    }

    /** Trains on {@code data} and checks the failure shape; returns the one stderr line. */
    private String trainFails(Path data) {
        Path out = tmp.resolve("run");
        UsaeCliTest.Run r = UsaeCliTest.usae("train", "-d", data.toString(), "-o", out.toString(), "--steps", "3",
                "--latents", "64", "-k", "4", "--batch-size", "64");
        String err = r.err().strip();
        assertEquals(2, r.code(), "stdout: " + r.out() + "\nstderr: " + err);
        assertFalse(err.contains("\n"), "more than one stderr line: " + err);
        assertFalse(Files.exists(out.resolve("model.usae")), "model.usae written despite: " + err);
        return err;
    }

    /** The first model file of a plain folder and its shape {rows, cols}. */
    private static Path firstModel(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            return s.filter(p -> p.toString().endsWith(".npy")).sorted().findFirst().orElseThrow();
        }
    }

    /** @return the model's values, {@code [rows x cols]} row-major. */
    private static float[] values(Path npy) {
        try (NpyArray a = Npy.openActivations(npy)) {
            float[] x = new float[Math.toIntExact(a.rows() * a.cols())];
            a.readRows(LongStream.range(0, a.rows()).toArray(), x);
            return x;
        }
    }

    private static int cols(Path npy) {
        try (NpyArray a = Npy.openActivations(npy)) {
            return a.cols();
        }
    }

    /** Case 6: a named pipe in the data folder used to hang training with no message. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void namedPipeInTheDataFolderFailsFastNamingIt() throws Exception {
        Path data = data();
        Path fifo = data.resolve("model0.npy");
        int code;
        try {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            code = p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            code = -1;
        }
        assumeTrue(code == 0, "mkfifo is not available here");
        assertEquals("usae train: error: " + fifo + " is a named pipe (FIFO), expected a regular .npy file", trainFails(data));
    }

    /** Case 7: a file named {@code .npy} used to become a model with an empty name, unreadable once saved. */
    @Test
    void fileNamedDotNpyIsRefusedNamingIt() throws Exception {
        Path data = data();
        Path model = firstModel(data);
        Files.copy(model, data.resolve(".npy"));
        assertEquals("usae train: error: " + data.resolve(".npy") + ": the model name (file name before .npy) is empty; "
                + "expected <model>.npy, e.g. dino.npy: rename the file or move it out of the folder", trainFails(data));
    }

    /**
     * Case 11: degenerate values used to end in "Training diverged ... lower the learning rate"
     * naming no file, or be accepted (a single 3e38).
     */
    @Test
    void degenerateValuesAreRefusedNamingTheFile() throws Exception {
        Path data = data();
        Path model = firstModel(data);
        float[] original = values(model);
        int cols = cols(model);
        int rows = original.length / cols;
        float[] x = new float[original.length];

        Arrays.fill(x, 0.75f);
        Npy.writeFloat32(model, x, rows, cols);
        String err = trainFails(data);
        assertTrue(err.startsWith("usae train: error: " + model + ": activations are constant (sigma 0 over "), err);

        for (int q = 0; q < x.length; q++) {
            x[q] = (q % 3) * Float.MIN_VALUE; // subnormal only: 0, 1.4e-45, 2.8e-45
        }
        Npy.writeFloat32(model, x, rows, cols);
        err = trainFails(data);
        assertTrue(err.startsWith("usae train: error: " + model + ": sigma "), err);
        assertTrue(err.contains(" is below 1.0E-12 (near-zero or subnormal activations)"), err);

        x = original.clone();
        x[123 * cols + 2] = 3e38f;
        Npy.writeFloat32(model, x, rows, cols);
        assertEquals("usae train: error: " + model + ": value 3.0E38 at row 123, column 2 exceeds 1.0E18 in magnitude, "
                + "where float32 squares overflow in training; expected activations of magnitude at most 1.0E18", trainFails(data));
    }
}
