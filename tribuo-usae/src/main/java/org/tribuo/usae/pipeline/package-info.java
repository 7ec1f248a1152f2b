/**
 * The library's application layer: typed jobs over models and activation sets (so far {@link
 * org.tribuo.usae.pipeline.Analysis}, with its OLCUT {@link org.tribuo.usae.pipeline.AnalysisOptions} and {@link
 * org.tribuo.usae.pipeline.AnalysisResult}), each opening its data once. The {@code usae} command line adapts them;
 * a program calls them directly.
 */
package org.tribuo.usae.pipeline;
