package org.tribuo.usae.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Self and cross reconstruction scores of M models. Every matrix is {@code [M x M]}: row i = source model
 * (encoder i produced the codes), column j = target model (decoder D_j reconstructed model j's
 * activations). The diagonal is self reconstruction.
 *
 * @param names            model names, {@code [M]}.
 * @param official         {@link R2Kind#OFFICIAL}.
 * @param varianceWeighted {@link R2Kind#VARIANCE_WEIGHTED}.
 * @param uniformAverage   {@link R2Kind#UNIFORM_AVERAGE}.
 * @param mse              {@link R2Kind#MSE}.
 */
public record R2Matrix(String[] names, double[][] official, double[][] varianceWeighted,
                       double[][] uniformAverage, double[][] mse) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public R2Matrix {
        int m = names.length;
        for (double[][] a : new double[][][]{official, varianceWeighted, uniformAverage, mse}) {
            if (a.length != m) {
                throw new IllegalArgumentException("Expected " + m + " rows, got " + a.length);
            }
            for (double[] row : a) {
                if (row.length != m) {
                    throw new IllegalArgumentException("Expected " + m + " columns, got " + row.length);
                }
            }
        }
    }

    /** @return M. */
    public int numModels() {
        return names.length;
    }

    /** @param kind score. @return its {@code [M x M]} matrix (not a copy). */
    public double[][] get(R2Kind kind) {
        return switch (kind) {
            case OFFICIAL -> official;
            case VARIANCE_WEIGHTED -> varianceWeighted;
            case UNIFORM_AVERAGE -> uniformAverage;
            case MSE -> mse;
        };
    }

    /** @param kind score. @return mean of the off-diagonal (cross) entries; NaN when M = 1. */
    public double crossMean(R2Kind kind) {
        double[][] a = get(kind);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (i != j) {
                    sum += a[i][j];
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** @param kind score. @return mean of the diagonal (self) entries. */
    public double selfMean(R2Kind kind) {
        double[][] a = get(kind);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i][i];
        }
        return sum / a.length;
    }

    /**
     * @return JSON object with fields, in this order: {@code names}, {@code official},
     * {@code varianceWeighted}, {@code uniformAverage}, {@code mse} (each {@code [M][M]}, row = source),
     * then {@code selfMean} and {@code crossMean}, objects keyed by the same four names. Non-finite
     * values are written as the strings "NaN" / "Infinity" (Jackson's default).
     */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("names", names);
        Map<String, Object> self = new LinkedHashMap<>();
        Map<String, Object> cross = new LinkedHashMap<>();
        for (R2Kind kind : R2Kind.values()) {
            String key = jsonKey(kind);
            out.put(key, get(kind));
            self.put(key, selfMean(kind));
            cross.put(key, crossMean(kind));
        }
        out.put("selfMean", self);
        out.put("crossMean", cross);
        try {
            return MAPPER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise R2Matrix", e);
        }
    }

    /** @param kind score. @return its JSON field name. */
    public static String jsonKey(R2Kind kind) {
        return switch (kind) {
            case OFFICIAL -> "official";
            case VARIANCE_WEIGHTED -> "varianceWeighted";
            case UNIFORM_AVERAGE -> "uniformAverage";
            case MSE -> "mse";
        };
    }

    /**
     * @param kind score.
     * @return a fixed-width table, rows labelled by source model, columns by target model, 4 decimals,
     * followed by the self and cross means.
     */
    public String toTable(R2Kind kind) {
        return jsonKey(kind) + " (row = source/encoder, column = target/decoder)\n" + grid(names, get(kind), "%.4f")
                + String.format(Locale.ROOT, "self mean %.4f, cross mean %.4f%n", selfMean(kind), crossMean(kind));
    }

    /**
     * @param names  row and column labels, {@code [M]}.
     * @param values the cells, {@code [M x M]}.
     * @param format the cell format ("%.4f").
     * @return the labelled fixed-width grid {@link #toTable} prints, header row "src\tgt".
     */
    static String grid(String[] names, double[][] values, String format) {
        int width = 9;
        for (String n : names) {
            width = Math.max(width, n.length() + 1);
        }
        String cell = "%" + width + "s";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, cell, "src\\tgt"));
        for (String n : names) {
            sb.append(String.format(Locale.ROOT, cell, n));
        }
        sb.append('\n');
        for (int i = 0; i < values.length; i++) {
            sb.append(String.format(Locale.ROOT, cell, names[i]));
            for (double v : values[i]) {
                sb.append(String.format(Locale.ROOT, cell, String.format(Locale.ROOT, format, v)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
