/**
 * Label-based concept metrics (docs/metrics.md, "Labels"), as SPARC evaluates multi-stream SAEs:
 * <ul>
 *   <li>{@link org.tribuo.usae.metrics.labels.InputCodes}: per-input pooled sparse codes (an input is
 *   an image or sentence; its token rows are pooled, MAX by default);</li>
 *   <li>{@link org.tribuo.usae.metrics.labels.LabelTable} and the optional
 *   {@link org.tribuo.usae.metrics.labels.LabelHierarchy} (collapse to depth d);</li>
 *   <li>{@link org.tribuo.usae.metrics.labels.ConceptAlignment}: SPARC's weighted Jaccard per depth;</li>
 *   <li>{@link org.tribuo.usae.metrics.labels.LinearProbe1D}: the 1-D logistic probe, fitted with Tribuo;</li>
 *   <li>{@link org.tribuo.usae.metrics.labels.LabelPurity}: dominant-label share per live latent;</li>
 *   <li>{@link org.tribuo.usae.metrics.labels.LabelAnalysis}: all of it for one model and set.</li>
 * </ul>
 * Only labelled inputs (at least one label) take part in any metric, as in SPARC's notebooks.
 */
package org.tribuo.usae.metrics.labels;
