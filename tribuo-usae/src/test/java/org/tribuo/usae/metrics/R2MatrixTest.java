package org.tribuo.usae.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class R2MatrixTest {
    private static final double TOL = 1e-12;

    private static R2Matrix threeModels() {
        double[][] off = {{0.9, 0.5, 0.4}, {0.6, 0.8, 0.3}, {0.2, 0.1, 0.7}};
        double[][] z = new double[3][3];
        return new R2Matrix(new String[]{"dino", "clip", "vit"}, off, z, z, z);
    }

    @Test
    void selfAndCrossMeans() {
        R2Matrix m = threeModels();
        assertEquals((0.9 + 0.8 + 0.7) / 3, m.selfMean(R2Kind.OFFICIAL), TOL);
        assertEquals((0.5 + 0.4 + 0.6 + 0.3 + 0.2 + 0.1) / 6, m.crossMean(R2Kind.OFFICIAL), TOL);
        assertEquals(0.0, m.crossMean(R2Kind.MSE), TOL);
    }

    @Test
    void tableLayoutIsFixed() {
        // eval prints this layout; R2Matrix.grid also lays out the linear ceiling's ridge table
        String expected = "official (row = source/encoder, column = target/decoder)\n"
                + "  src\\tgt     dino     clip      vit\n"
                + "     dino   0.9000   0.5000   0.4000\n"
                + "     clip   0.6000   0.8000   0.3000\n"
                + "      vit   0.2000   0.1000   0.7000\n"
                + "self mean 0.8000, cross mean 0.3500\n";
        assertEquals(expected, threeModels().toTable(R2Kind.OFFICIAL).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void singleModelCrossMeanIsNaN() {
        double[][] one = {{0.5}};
        R2Matrix m = new R2Matrix(new String[]{"a"}, one, one, one, one);
        assertTrue(Double.isNaN(m.crossMean(R2Kind.OFFICIAL)));
        assertEquals(0.5, m.selfMean(R2Kind.OFFICIAL), TOL);
    }

    @Test
    void rejectsWrongShape() {
        double[][] ok = new double[2][2];
        assertThrows(IllegalArgumentException.class,
                () -> new R2Matrix(new String[]{"a", "b"}, ok, ok, ok, new double[2][3]));
    }

    @Test
    void jsonHasStableFields() throws Exception {
        JsonNode n = new ObjectMapper().readTree(threeModels().toJson());
        assertEquals("clip", n.get("names").get(1).asText());
        assertEquals(0.6, n.get("official").get(1).get(0).asDouble(), TOL);
        assertEquals(0.8, n.get("selfMean").get("official").asDouble(), TOL);
        assertEquals(0.35, n.get("crossMean").get("official").asDouble(), TOL);
        for (String f : new String[]{"varianceWeighted", "uniformAverage", "mse"}) {
            assertEquals(3, n.get(f).size(), f);
        }
    }

    @Test
    void tableIsLabelled() {
        String t = threeModels().toTable(R2Kind.OFFICIAL);
        String[] lines = t.split("\n");
        assertTrue(lines[1].contains("dino") && lines[1].contains("clip") && lines[1].contains("vit"), t);
        assertTrue(lines[3].trim().startsWith("clip"), t);
        assertTrue(lines[3].contains("0.6000") && lines[3].contains("0.8000"), t);
        assertEquals(lines[1].length(), lines[2].length(), "fixed width");
    }

    @Test
    void builderFillsCellsWithTargetWidth() {
        R2MatrixBuilder b = new R2MatrixBuilder(new String[]{"a", "b"}, new int[]{2, 1});
        // Cell (0,1) targets model b (width 1): A = [1, 3], Â = [1, 2] -> SST 2, SSE 1, MSE 0.5.
        b.add(0, 1, new float[]{1, 3}, new float[]{1, 2}, 2);
        // Cell (1,0) targets model a (width 2): perfect.
        b.add(1, 0, new float[]{1, 2, 3, 5}, new float[]{1, 2, 3, 5}, 2);
        assertThrows(IllegalArgumentException.class, () -> b.add(0, 0, new float[2], new float[2], 2));
        R2Matrix m = b.build();
        assertEquals(0.5, m.varianceWeighted()[0][1], TOL);
        assertEquals(0.5, m.mse()[0][1], TOL);
        assertEquals(1.0, m.uniformAverage()[1][0], TOL);
        assertEquals(0.75, m.crossMean(R2Kind.VARIANCE_WEIGHTED), TOL);
        assertTrue(Double.isNaN(m.official()[0][0]), "cells without rows are NaN");
    }
}
