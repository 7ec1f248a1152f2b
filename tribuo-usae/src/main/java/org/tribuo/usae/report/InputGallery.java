package org.tribuo.usae.report;

/**
 * Draws one example input of a concept panel as an HTML fragment: the input with each model's
 * activations of the concept on it, one row per model.
 */
public interface InputGallery {
    /** @return "text" or "image" (written as {@code data-gallery}). */
    String kind();

    /**
     * @param panel   the concept panel (model names, concept id).
     * @param example one of its examples.
     * @return trusted HTML (all data escaped).
     * @throws IllegalArgumentException naming the input when the gallery does not know it or its
     * token count does not match the activations.
     */
    String render(ConceptPanel panel, ConceptExample example);

    /** @return one sentence for the section caption: how the activations are drawn. */
    String howToRead();
}
