package org.tribuo.usae.pipeline;

import java.nio.file.Path;

/**
 * What a {@link Reporting} job wrote.
 *
 * @param analyses the analyses the page shows.
 * @param html     the page.
 * @param json     the analyses as {@code analysis.json}, next to it.
 * @param concepts the concepts that got example panels, in page order.
 */
public record ReportingResult(AnalysisResult analyses, Path html, Path json, int[] concepts) {
}
