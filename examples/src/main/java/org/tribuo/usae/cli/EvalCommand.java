package org.tribuo.usae.cli;

import org.tribuo.usae.pipeline.OptionChecks;
import org.tribuo.usae.pipeline.RowRange;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.data.OutputPaths;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.ActivationSet;
import org.tribuo.usae.data.AtomicFiles;
import org.tribuo.usae.data.ActivationSets;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.LinearCeiling;
import org.tribuo.usae.metrics.LinearCeilingReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.model.UsaeModel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code usae eval}: the R2 matrix (three formulas), L0 and dead latents on rows of a set. */
final class EvalCommand implements Usae.Command {
    /** Options of {@code usae eval}. */
    public static final class EvalOptions implements Options {
        @Option(charName = 'm', longName = "model", usage = "model.usae file or training output folder.")
        public Path model;
        @Option(charName = 'd', longName = "data", usage = "Activation set folder.")
        public Path data;
        @Option(longName = "rows", usage = "Rows to evaluate as FROM:TO or 'all' (default: the held-out rows the model's "
                + "trainer left out, else all rows).")
        public String rows;
        @Option(longName = "batch-size", usage = "Rows per batch (the official R2 averages per batch; default 4096).")
        public int batchSize = 4096;
        @Option(longName = "json", usage = "Also write the report as JSON to this file.")
        public Path json;
        @Option(longName = "linear-ceiling", usage = "Also fit the ridge least-squares affine map between every ordered "
                + "pair of models on the rows outside --rows and print its held-out R2 (the linear ceiling) and "
                + "USAE / ceiling per pair.")
        public boolean linearCeiling;
        @Option(longName = "ceiling-ridge", usage = "The linear ceiling's ridge, relative to the mean diagonal of the "
                + "source's Gram matrix: a number, or 'auto' (default) to choose per pair among 1e-6 .. 100 on the last "
                + "10% of the training rows.")
        public String ceilingRidge = "auto";
    }

    @Override
    public String summary() {
        return "print the M x M reconstruction R2 matrix, L0 and dead latents (JSON with --json)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        EvalOptions opts = new EvalOptions();
        new ConfigurationManager(BareFlags.expand(args, Set.of("--linear-ceiling")), opts, false);
        double[] ridgeGrid = ridgeGrid(opts.ceilingRidge);
        RowRange.check(opts.rows);
        if (opts.json != null) {
            OutputPaths.requireWritableFile("--json", opts.json);
        }
        UsaeModel model = ModelFiles.load(opts.model);
        if (opts.data == null) {
            throw new CliException("--data is required");
        }
        try (ActivationSet set = ActivationSets.open(opts.data)) {
            long[] range = RowRange.resolve(opts.rows, model, set.rows());
            EvaluationReport report = ModelEvaluation.evaluate(model, set, range[0], range[1], opts.batchSize);
            out.println("Rows [" + range[0] + ", " + range[1] + ") of " + opts.data);
            out.println(report.toText());
            String json = report.toJson();
            if (opts.linearCeiling) {
                LinearCeilingReport ceiling = linearCeiling(model, set, range, ridgeGrid, opts.batchSize);
                out.println(ceiling.toText());
                out.println("USAE / linear ceiling per pair (the USAE's tables above; 1 = all that a linear map carries):");
                out.println(ceiling.ratioTable(report.r2(), R2Kind.VARIANCE_WEIGHTED));
                json = withCeiling(json, ceiling, report);
            }
            if (opts.json != null) {
                AtomicFiles.writeString(opts.json, json);
                out.println("Wrote " + opts.json);
            }
        }
    }

    /** Fits on every row outside the evaluated range, so the ceiling sees the USAE's training rows and none it is scored on. */
    private static LinearCeilingReport linearCeiling(UsaeModel model, ActivationSet set, long[] range, double[] ridgeGrid,
                                                     int batchSize) {
        List<long[]> spans = new ArrayList<>();
        if (range[0] > 0) {
            spans.add(new long[]{0, range[0]});
        }
        if (range[1] < set.rows()) {
            spans.add(new long[]{range[1], set.rows()});
        }
        long fitRows = range[0] + (set.rows() - range[1]);
        if (fitRows < 2) {
            throw new CliException("--linear-ceiling: needs training rows outside --rows, but rows [" + range[0] + ", "
                    + range[1] + ") leave " + fitRows + " of " + set.rows());
        }
        return LinearCeiling.compute(set, model.modelNames(), spans.toArray(long[][]::new), range[0], range[1],
                ridgeGrid, LinearCeiling.DEFAULT_VALIDATION_FRACTION, batchSize);
    }

    /** @return the ridges {@code --ceiling-ridge} names: the default grid for 'auto', else the one number. */
    private static double[] ridgeGrid(String spec) {
        if ("auto".equalsIgnoreCase(spec.strip())) {
            return LinearCeiling.DEFAULT_RIDGE_GRID.clone();
        }
        double ridge;
        try {
            ridge = Double.parseDouble(spec.strip());
        } catch (NumberFormatException e) {
            ridge = Double.NaN;
        }
        if (!(ridge > 0) || Double.isInfinite(ridge)) {
            throw OptionChecks.bad("--ceiling-ridge", "'" + spec + "'", "is neither 'auto' nor a positive number",
                    "'auto' or a ridge > 0 relative to the mean Gram diagonal (e.g. 0.1)");
        }
        return new double[]{ridge};
    }

    /** @return the report's JSON with {@code linearCeiling} and {@code usaeOverCeiling} (variance weighted) added. */
    private static String withCeiling(String json, LinearCeilingReport ceiling, EvaluationReport report)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(json);
        root.set("linearCeiling", ceiling.toJsonNode(mapper));
        ArrayNode ratio = root.putArray("usaeOverCeilingVarianceWeighted");
        for (double[] row : ceiling.ratio(report.r2(), R2Kind.VARIANCE_WEIGHTED)) {
            ArrayNode r = ratio.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
