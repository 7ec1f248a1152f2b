package org.tribuo.usae.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The result of {@link LinearCeiling}: held-out R2 of the ridge least-squares affine map from each source
 * model (row) to each target model (column), in the same {@link R2Matrix} layout and formulas as
 * {@link EvaluationReport}.
 *
 * @param fitRows        training rows the maps were fitted on (validation rows included: the final fit uses them).
 * @param validationRows the tail of the training rows that chose the ridge; 0 when it was fixed.
 * @param evalRows       held-out rows scored.
 * @param relativeRidge  the ridge of each pair as a fraction of the source's mean Gram diagonal,
 *                       {@code [M x M]}, row = source.
 * @param r2            the scores, {@code [M x M]} per formula, row = source, column = target.
 * @param nativeBlas    whether ND4J's DGEMM did the products.
 * @param fitSeconds    the two streamed passes over the training rows.
 * @param solveSeconds  the Cholesky solves.
 * @param evalSeconds   the pass over the held-out rows.
 */
public record LinearCeilingReport(long fitRows, long validationRows, long evalRows, double[][] relativeRidge, R2Matrix r2,
                                  boolean nativeBlas, double fitSeconds, double solveSeconds, double evalSeconds) {

    /**
     * @param usae the USAE's matrix on the same rows (same model order).
     * @param kind the formula.
     * @return {@code usae / ceiling} per cell, {@code [M x M]}.
     * @throws IllegalArgumentException when the names differ.
     */
    public double[][] ratio(R2Matrix usae, R2Kind kind) {
        if (!java.util.Arrays.equals(usae.names(), r2.names())) {
            throw new IllegalArgumentException("Models differ: USAE " + java.util.Arrays.toString(usae.names())
                    + ", ceiling " + java.util.Arrays.toString(r2.names()));
        }
        double[][] a = usae.get(kind);
        double[][] b = r2.get(kind);
        double[][] out = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                out[i][j] = a[i][j] / b[i][j];
            }
        }
        return out;
    }

    /**
     * @return JSON: fitRows, validationRows, evalRows, relativeRidge ({@code [M][M]}), nativeBlas, seconds and r2
     * ({@link R2Matrix#toJson()}).
     */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode(mapper));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param mapper the mapper. @return {@link #toJson()} as a tree, to embed in a larger report. */
    public ObjectNode toJsonNode(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("fitRows", fitRows);
        root.put("validationRows", validationRows);
        root.put("evalRows", evalRows);
        ArrayNode ridge = root.putArray("relativeRidge");
        for (double[] row : relativeRidge) {
            ArrayNode r = ridge.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        root.put("nativeBlas", nativeBlas);
        ObjectNode seconds = root.putObject("seconds");
        seconds.put("fit", fitSeconds);
        seconds.put("solve", solveSeconds);
        seconds.put("eval", evalSeconds);
        try {
            root.set("r2", mapper.readTree(r2.toJson()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** @return the variance-weighted and official tables with the fit's rows, ridge and timings. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Linear ceiling: ridge least-squares affine map source -> target, fitted on "
                        + "%d rows, scored on %d held-out rows (fit %.1f s, solve %.1f s, eval %.1f s)%n",
                fitRows, evalRows, fitSeconds, solveSeconds, evalSeconds));
        sb.append(validationRows > 0
                ? "Ridge per pair (relative to the source's mean Gram diagonal), chosen on the last " + validationRows
                        + " training rows:\n"
                : "Ridge per pair (relative to the source's mean Gram diagonal), fixed:\n");
        sb.append(R2Matrix.grid(r2.names(), relativeRidge, "%.0e")).append('\n');
        sb.append("Ceiling R2, variance-weighted:\n").append(r2.toTable(R2Kind.VARIANCE_WEIGHTED)).append('\n');
        sb.append("Ceiling R2, official formula:\n").append(r2.toTable(R2Kind.OFFICIAL));
        return sb.toString();
    }

    /**
     * @param usae the USAE's matrix on the same rows.
     * @param kind the formula.
     * @return a table of {@link #ratio} in the {@link R2Matrix#toTable} layout.
     */
    public String ratioTable(R2Matrix usae, R2Kind kind) {
        double[][] q = ratio(usae, kind);
        R2Matrix asMatrix = new R2Matrix(r2.names(), q, q, q, q);
        return asMatrix.toTable(kind)
                .replaceFirst("^[A-Za-z]+ ", "USAE / ceiling, " + R2Matrix.jsonKey(kind) + " ");
    }
}
