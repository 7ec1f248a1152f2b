package org.tribuo.usae.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's code sparsity over an evaluation set.
 *
 * @param name                  model name.
 * @param numLatents            m.
 * @param threshold             τ.
 * @param rows                  rows seen.
 * @param meanL0                non-zero codes per row.
 * @param deadFractionRaw       fraction of the m latents never {@code > 0}.
 * @param deadFractionThreshold fraction of the m latents never {@code > τ}.
 * @param positiveCounts        per latent, rows with code {@code > 0}, {@code [m]}.
 * @param thresholdCounts       per latent, rows with code {@code > τ}, {@code [m]}.
 */
public record SparsityReport(String name, int numLatents, double threshold, long rows, double meanL0,
                             double deadFractionRaw, double deadFractionThreshold,
                             long[] positiveCounts, long[] thresholdCounts) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param includeCounts whether to write the two {@code [m]} count arrays.
     * @return JSON with the record's component names as fields, in declaration order.
     */
    public String toJson(boolean includeCounts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("numLatents", numLatents);
        out.put("threshold", threshold);
        out.put("rows", rows);
        out.put("meanL0", meanL0);
        out.put("deadFractionRaw", deadFractionRaw);
        out.put("deadFractionThreshold", deadFractionThreshold);
        if (includeCounts) {
            out.put("positiveCounts", positiveCounts);
            out.put("thresholdCounts", thresholdCounts);
        }
        try {
            return MAPPER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise SparsityReport", e);
        }
    }

    /** @return {@link #toJson(boolean)} with counts. */
    public String toJson() {
        return toJson(true);
    }
}
