package org.tribuo.usae.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.LinearCeilingReport;
import org.tribuo.usae.metrics.R2Kind;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an {@link Evaluation} measured on one range of rows.
 *
 * @param from    first row evaluated.
 * @param to      end of the rows (exclusive).
 * @param report  the R2 matrices (three formulas), MSE, L0 and dead latents.
 * @param ceiling the linear ceiling fitted on the other rows, or null when not asked for.
 */
public record EvaluationResult(long from, long to, EvaluationReport report, LinearCeilingReport ceiling) {
    /** @return the report, then the ceiling and USAE / ceiling per pair when present. */
    public String toText() {
        StringBuilder sb = new StringBuilder(report.toText());
        if (ceiling != null) {
            sb.append('\n').append(ceiling.toText()).append('\n')
                    .append("USAE / linear ceiling per pair (the USAE's tables above; 1 = all that a linear map carries):\n")
                    .append(ceiling.ratioTable(report.r2(), R2Kind.VARIANCE_WEIGHTED));
        }
        return sb.toString();
    }

    /** @return the report's JSON, with {@code linearCeiling} and {@code usaeOverCeilingVarianceWeighted} when present. */
    public String toJson() {
        String json = report.toJson();
        if (ceiling == null) {
            return json;
        }
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException("could not assemble the evaluation JSON", e);
        }
    }
}
