package org.tribuo.usae.metrics.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;
import java.util.Locale;

/**
 * Everything {@link LabelAnalysis} measured. JSON field names are the record component names
 * (stable: renaming a component is a format change).
 *
 * @param streams        stream (model) names.
 * @param pooling        pooling used.
 * @param hierarchy      "flat" or where the hierarchy came from.
 * @param inputs         inputs in the evaluated rows.
 * @param labelledInputs those with at least one label (the only ones scored).
 * @param numLatents     m.
 * @param alignment      SPARC Jaccard per depth.
 * @param probe          per stream, the 1-D probe.
 * @param purity         label purity.
 */
public record LabelAnalysisResult(List<String> streams, Pooling pooling, String hierarchy, int inputs,
                                  int labelledInputs, int numLatents, ConceptAlignment.Result alignment,
                                  List<LinearProbe1D.StreamResult> probe, LabelPurity.Result purity) {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @return pretty JSON (NaN written as the string "NaN"). */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise LabelAnalysisResult", e);
        }
    }

    /** @return a short human summary. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Label analysis: %d inputs (%d labelled), %d latents, %s pooling, hierarchy %s%n",
                inputs, labelledInputs, numLatents, pooling, hierarchy));
        b.append(String.format(Locale.ROOT, "Concept alignment (SPARC weighted Jaccard, mean over all latents; %d latents active in >= 2 streams):%n",
                alignment.latentsActiveInTwoOrMore()));
        for (ConceptAlignment.DepthJaccard d : alignment.depths()) {
            b.append(String.format(Locale.ROOT, "  depth %d (%d buckets): %.4f%n", d.depth(), d.buckets(), d.meanJaccard()));
        }
        b.append(String.format(Locale.ROOT, "1-D probe (mean test log-loss, lower is better, chance ln 2 = %.4f):%n", Math.log(2)));
        for (LinearProbe1D.StreamResult s : probe) {
            b.append(String.format(Locale.ROOT, "  %-12s %.4f  (accuracy %.3f, AUC %.3f; %d tasks, %d skipped)%n", s.stream(),
                    s.meanTestLogLoss(), s.meanAccuracy(), s.meanAuc(), s.tasks().size(), s.skipped().size()));
        }
        b.append(String.format(Locale.ROOT, "Label purity (%s, dead latents %s):%n",
                purity.options().topN() == 0 ? "all activating inputs" : "top " + purity.options().topN(),
                purity.options().dead()));
        for (LabelPurity.StreamPurity s : purity.streams()) {
            b.append(String.format(Locale.ROOT, "  %-12s %.2f %%  (%d live latents)%n", s.stream(), 100 * s.meanPurity(),
                    s.liveLatents()));
        }
        b.append(String.format(Locale.ROOT, "  mean over streams %.2f %%%n", 100 * purity.meanOverStreams()));
        return b.toString();
    }
}
