package org.tribuo.usae.pipeline;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.usae.model.UsaeModel;

/**
 * The {@code --rows} option of eval, analyze and report: {@code all}, {@code FROM:TO} (rows FROM up to
 * TO exclusive; a left-out FROM is 0 and a left-out TO the set's end), or absent for the rows the model's
 * trainer held out (all rows when it held out none). {@link #check} needs only the text, so a typo fails
 * before the model or the set is read; {@link #resolve} also needs the set's row count.
 */
public final class RowRange {
    private static final String OPTION = "--rows";
    private static final String EXPECTED = "'all' or FROM:TO with 0 <= FROM < TO (e.g. 0:1000; TO left out = the "
            + "set's end)";

    private RowRange() {
    }

    /**
     * @param spec the option's value, or null.
     * @return {@code {from, to}} with {@code to = -1} for "the set's end", or null when spec is null.
     * @throws IllegalArgumentException when spec is neither 'all' nor FROM:TO with 0 <= FROM < TO.
     */
    public static long[] check(String spec) {
        if (spec == null) {
            return null;
        }
        if ("all".equalsIgnoreCase(spec.strip())) {
            return new long[]{0, -1};
        }
        String[] parts = spec.split(":", -1);
        long from;
        long to;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            from = parts[0].isBlank() ? 0 : Long.parseLong(parts[0].strip());
            to = parts[1].isBlank() ? -1 : Long.parseLong(parts[1].strip());
        } catch (NumberFormatException e) {
            throw OptionChecks.bad(OPTION, "'" + spec + "'", "is not a row range", EXPECTED);
        }
        if (from < 0) {
            throw OptionChecks.bad(OPTION, "'" + spec + "'", "starts before row 0", EXPECTED);
        }
        if (!parts[1].isBlank() && to <= from) {
            throw OptionChecks.bad(OPTION, "'" + spec + "'", to == from ? "holds no row" : "ends before it starts", EXPECTED);
        }
        return new long[]{from, to};
    }

    /**
     * @param spec  the option's value, or null for the trainer's held-out rows.
     * @param model the model (its trainer's hold-out fraction).
     * @param rows  rows in the set.
     * @return {@code {from, to}}, {@code 0 <= from < to <= rows}.
     * @throws IllegalArgumentException when spec is malformed or reaches past the set.
     */
    public static long[] resolve(String spec, UsaeModel model, long rows) {
        long[] range = check(spec);
        if (range == null) {
            Provenance p = model.getProvenance().getTrainerProvenance().getConfiguredParameters().get("holdOutFraction");
            double holdOut = p == null ? 0 : Double.parseDouble(p.toString());
            long train = rows - Math.round(rows * holdOut);
            return holdOut > 0 && train < rows ? new long[]{train, rows} : new long[]{0, rows};
        }
        long to = range[1] < 0 ? rows : range[1];
        String size = "the set has " + rows + " rows";
        if (to > rows) {
            throw OptionChecks.bad(OPTION, "'" + spec + "'", "ends past the set", "TO <= " + rows + " (" + size + ")");
        }
        if (range[0] >= to) {
            throw OptionChecks.bad(OPTION, "'" + spec + "'", "starts at or past the set's end", "FROM < " + rows
                    + " (" + size + ")");
        }
        return new long[]{range[0], to};
    }
}
