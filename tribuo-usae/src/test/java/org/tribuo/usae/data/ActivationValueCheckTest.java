package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full value pass on real .npy folders: what it refuses (naming file, row, column, value) and what it only warns about. */
class ActivationValueCheckTest {
    private static final int ROWS = 3000;
    private static final int DIM = 8;

    @TempDir
    Path tmp;

    /** {@code [ROWS x DIM]} of 1 + 0.5 N(0, 1): median about 1, robust scale about 0.5. */
    private static float[] gaussian(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[ROWS * DIM];
        for (int q = 0; q < x.length; q++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            x[q] = (float) (1 + 0.5 * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return x;
    }

    /** A plain folder with a clean model "a" and model "b" as given; returns b's file. */
    private Path folderWith(float[] b) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set"));
        Npy.writeFloat32(dir.resolve("a.npy"), gaussian(1), ROWS, DIM);
        Npy.writeFloat32(dir.resolve("b.npy"), b, ROWS, DIM);
        return dir.resolve("b.npy");
    }

    /** A clean folder whose model b has {@code value} at (row, column); returns b's file. */
    private Path folderWithValueAt(int row, int column, float value) throws Exception {
        float[] x = gaussian(2);
        x[row * DIM + column] = value;
        return folderWith(x);
    }

    private static ActivationValueCheck.Result check(Path file, List<String> warnings) {
        try (ActivationSet set = ActivationSets.open(file.getParent())) {
            return ActivationValueCheck.check(set, warnings::add);
        }
    }

    private static String refusal(Path file) {
        return assertThrows(ActivationSetException.class, () -> check(file, new ArrayList<>())).getMessage();
    }

    @Test
    void cleanDataPassesWithATypedResult() throws Exception {
        Path b = folderWith(gaussian(2));
        List<String> warnings = new ArrayList<>();
        ActivationValueCheck.Result r = check(b, warnings);
        assertEquals(List.of(), warnings);
        assertEquals(ROWS, r.rowsChecked());
        assertEquals(2, r.models().size());
        ActivationValueCheck.ModelResult m = r.models().get(1);
        assertEquals("b", m.name());
        assertEquals(b.toString(), m.source());
        assertEquals(1.0, m.median(), 0.05);
        assertEquals(0.5, m.robustScale(), 0.05);
        assertTrue(m.maxScales() > 3 && m.maxScales() < 10, "max |z| of 24000 normal values: " + m.maxScales());
        assertArrayEquals(new int[0], m.constantColumns());
    }

    @Test
    void nanIsRefusedWithFileRowAndColumn() throws Exception {
        Path b = folderWithValueAt(2345, 6, Float.NaN);
        assertEquals(b + ": non-finite value NaN at row 2345, column 6; expected finite activations", refusal(b));
    }

    @Test
    void theFirstBadValueIsReportedWhateverTheBlockOrder() throws Exception {
        float[] x = gaussian(2);
        x[(ROWS - 1) * DIM + 1] = Float.NEGATIVE_INFINITY;
        x[1500 * DIM + 7] = Float.POSITIVE_INFINITY;
        x[1500 * DIM + 2] = Float.NaN;
        Path b = folderWith(x);
        assertEquals(b + ": non-finite value NaN at row 1500, column 2; expected finite activations", refusal(b));
    }

    @Test
    void a3e38ValueIsRefusedForItsMagnitude() throws Exception {
        Path b = folderWithValueAt(17, 3, 3e38f);
        assertEquals(b + ": value 3.0E38 at row 17, column 3 exceeds 1.0E18 in magnitude, where float32 squares overflow "
                + "in training; expected activations of magnitude at most 1.0E18", refusal(b));
    }

    @Test
    void aValueAMillionRobustScalesAwayIsRefused() throws Exception {
        Path b = folderWithValueAt(999, 0, -2e6f); // (2e6 + 1) / 0.5 = 4e6 scales below the median
        String msg = refusal(b);
        assertTrue(msg.startsWith(b + ": value -2000000.0 at row 999, column 0 is 4.0"), msg);
        assertTrue(msg.contains("e+06 robust scales from the model's median 1.0"), msg);
        assertTrue(msg.contains("expected at most 1000000.0"), msg);
    }

    @Test
    void aMassiveActivationOf5000TimesTheMedianIsLegal() throws Exception {
        float[] x = gaussian(2);
        x[42 * DIM + 5] = 5000f; // median about 1: LLM-style massive activation
        x[43 * DIM + 5] = -5000f;
        Path b = folderWith(x);
        ActivationValueCheck.ModelResult m = check(b, new ArrayList<>()).models().get(1);
        assertTrue(m.maxScales() > 9000 && m.maxScales() < 11000, "max |z| " + m.maxScales());
    }

    @Test
    void sparseActivationsUseAnUpperPercentileAsTheirScale() throws Exception {
        // 80% exact zeros (as after a ReLU): the median absolute deviation is 0, the 90th percentile is not.
        float[] x = gaussian(2);
        for (int q = 0; q < x.length; q++) {
            if (q % 5 != 0) {
                x[q] = 0;
            }
        }
        x[7 * DIM] = 2000f;
        Path b = folderWith(x);
        ActivationValueCheck.ModelResult m = check(b, new ArrayList<>()).models().get(1);
        assertEquals(0.0, m.median());
        assertTrue(m.robustScale() > 0.1 && m.robustScale() < 1, "scale " + m.robustScale());
        assertTrue(m.maxScales() < ActivationValueCheck.MAX_ROBUST_SCALES, "max |z| " + m.maxScales());
    }

    @Test
    void constantColumnsAreAWarningNotAnError() throws Exception {
        float[] x = gaussian(2);
        for (int r = 0; r < ROWS; r++) {
            x[r * DIM + 4] = 0.25f;
        }
        Path b = folderWith(x);
        List<String> warnings = new ArrayList<>();
        ActivationValueCheck.Result r = check(b, warnings);
        assertArrayEquals(new int[]{4}, r.models().get(1).constantColumns());
        assertEquals(List.of(b + ": warning: 1 of 8 columns is constant over rows [0, 3000) (column 4); they carry no "
                + "information, training goes on"), warnings);
    }

    @Test
    void manyConstantColumnsAreCountedAfterTheFirstFew() throws Exception {
        float[] x = new float[ROWS * DIM];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < DIM; c++) {
                x[r * DIM + c] = c;
            }
        }
        Path b = folderWith(x);
        Path big = b.resolveSibling("c.npy");
        int wide = 20;
        float[] y = new float[ROWS * wide];
        for (int r = 0; r < ROWS; r++) {
            y[r * wide + 19] = r;
        }
        Npy.writeFloat32(big, y, ROWS, wide);
        List<String> warnings = new ArrayList<>();
        check(b, warnings);
        assertEquals(List.of(b + ": warning: all 8 columns are constant over rows [0, 3000) (columns 0, 1, 2, 3, 4, 5, 6, 7); "
                        + "they carry no information, training goes on",
                big + ": warning: 19 of 20 columns are constant over rows [0, 3000) (columns 0, 1, 2, 3, 4, 5, 6, 7, ... 11 more); "
                        + "they carry no information, training goes on"), warnings);
    }

    @Test
    void aRowRangeIsCheckedAndRowsAreNumberedInTheSet() throws Exception {
        float[] x = gaussian(2);
        x[10 * DIM + 1] = Float.NaN;
        Path b = folderWith(x);
        try (ActivationSet set = ActivationSets.open(b.getParent())) {
            ActivationValueCheck.Result r = ActivationValueCheck.check(set, 11, ROWS, 5L, w -> { });
            assertEquals(ROWS - 11, r.rowsChecked());
            ActivationSetException e = assertThrows(ActivationSetException.class,
                    () -> ActivationValueCheck.check(set, 5, 20, 5L, w -> { }));
            assertTrue(e.getMessage().endsWith("b.npy: non-finite value NaN at row 10, column 1; expected finite activations"),
                    e.getMessage());
        }
    }

    @Test
    void shardedSetsNameTheModelAndTheSetRow() throws Exception {
        Path dir = tmp.resolve("sharded");
        int rows = 12;
        float[] m = new float[rows * 2];
        for (int q = 0; q < m.length; q++) {
            m[q] = q;
        }
        m[9 * 2 + 1] = Float.POSITIVE_INFINITY; // set row 9 lies in the second shard, as its row 3
        ShardedFixture.write(dir, List.of("m"), new int[]{2}, new float[][]{m}, new long[]{6, 6});
        try (ActivationSet set = ActivationSets.open(dir)) {
            ActivationSetException e = assertThrows(ActivationSetException.class,
                    () -> ActivationValueCheck.check(set, w -> { }));
            assertEquals(set.source(0) + ": non-finite value Infinity at row 9, column 1; expected finite activations",
                    e.getMessage());
        }
    }
}
