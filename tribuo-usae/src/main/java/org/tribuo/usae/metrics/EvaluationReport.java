package org.tribuo.usae.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The result of {@link ModelEvaluation}: rows evaluated, the R2 matrix and per-model sparsity.
 * @param rows rows evaluated.
 * @param r2 the reconstruction matrix (standardised units).
 * @param sparsity per model, in model order.
 */
public record EvaluationReport(long rows, R2Matrix r2, List<SparsityReport> sparsity) {

    /** @return JSON with fields rows, r2 (see {@link R2Matrix#toJson()}) and sparsity. */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            ObjectNode root = mapper.createObjectNode();
            root.put("rows", rows);
            root.set("r2", mapper.readTree(r2.toJson()));
            ArrayNode sp = root.putArray("sparsity");
            for (SparsityReport s : sparsity) {
                sp.add(mapper.readTree(s.toJson(false)));
            }
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a readable summary: the R2 tables and a sparsity line per model. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Evaluated on ").append(rows).append(" rows (standardised units; row = encoder, column = decoder)\n\n");
        sb.append("R2, official formula (global mean, per-batch average):\n").append(r2.toTable(R2Kind.OFFICIAL)).append('\n');
        sb.append("R2, variance-weighted (per-dimension means):\n").append(r2.toTable(R2Kind.VARIANCE_WEIGHTED)).append('\n');
        sb.append("R2, uniform average over dimensions:\n").append(r2.toTable(R2Kind.UNIFORM_AVERAGE)).append('\n');
        sb.append("Sparsity:\n");
        for (SparsityReport s : sparsity) {
            sb.append(String.format("  %-16s L0 %.2f   dead %.1f%% (never > 0)   %.1f%% (never > %.2g)%n", s.name(),
                    s.meanL0(), 100 * s.deadFractionRaw(), 100 * s.deadFractionThreshold(), s.threshold()));
        }
        return sb.toString();
    }
}
