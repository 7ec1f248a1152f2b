package org.tribuo.usae.report;

import java.util.List;

/**
 * The top example inputs of one concept, best first.
 *
 * @param concept    the concept (latent) id.
 * @param modelNames model names, in the order of each example's activation rows.
 * @param examples   examples, by decreasing score (ties: smaller input id first); may be empty
 *                   when the concept never fired.
 */
public record ConceptPanel(int concept, List<String> modelNames, List<ConceptExample> examples) {
    /** Copies the lists. */
    public ConceptPanel {
        modelNames = List.copyOf(modelNames);
        examples = List.copyOf(examples);
    }
}
