package org.tribuo.usae.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.labels.LabelAnalysisResult;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an {@link Analysis} measured on one range of rows: the R2 matrix and sparsity, the concept analyses
 * (energy, firing, co-firing, entropy, dead concepts, optional consistency with independent SAEs) and, when the set
 * carries labels, the label metrics (Jaccard alignment, 1-D probes, purity).
 *
 * @param from        first row analysed.
 * @param to          end of the rows (exclusive).
 * @param evaluation  R2 matrix and sparsity.
 * @param concepts    concept analyses.
 * @param labels      label metrics, or null when the set has no labels (or they were skipped).
 */
public record AnalysisResult(long from, long to, EvaluationReport evaluation, ConceptAnalysisResult concepts,
                             LabelAnalysisResult labels) {
    /** The JSON document's format line. */
    public static final String FORMAT = "tribuo-usae analysis 1";

    /** @return one JSON document: format, rows, evaluation, concepts and labels (null when absent). */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            ObjectNode root = mapper.createObjectNode();
            root.put("format", FORMAT);
            root.put("from", from);
            root.put("to", to);
            root.set("evaluation", mapper.readTree(evaluation.toJson()));
            root.set("concepts", mapper.readTree(concepts.toJson()));
            root.set("labels", labels == null ? mapper.nullNode() : mapper.readTree(labels.toJson()));
            return mapper.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("could not assemble the analysis JSON", e);
        }
    }

    /** @return the human-readable summary. */
    public String toText() {
        return evaluation.toText() + "\n" + concepts.toText() + (labels == null ? "\n(no labels: label metrics skipped)\n"
                : "\n" + labels.toText());
    }
}
