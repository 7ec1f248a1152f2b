/**
 * The library's application layer: typed jobs over models and activation sets ({@link
 * org.tribuo.usae.pipeline.Training}, {@link org.tribuo.usae.pipeline.Evaluation} and {@link
 * org.tribuo.usae.pipeline.Analysis}, each with its OLCUT options and its result type), each opening its data once.
 * The {@code usae} command line adapts them; a program calls them directly.
 */
package org.tribuo.usae.pipeline;
