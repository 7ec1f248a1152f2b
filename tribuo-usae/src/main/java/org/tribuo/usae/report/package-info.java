/**
 * The self-contained HTML report: small SVG charts written by hand (heatmap, histogram, line, scatter,
 * grouped bars), HTML tables, concept example panels (text and image galleries) and the page builder
 * {@link org.tribuo.usae.report.HtmlReport}. Charts take plain arrays and records, so any metric can
 * feed them; nothing here reaches the network or an external file.
 */
package org.tribuo.usae.report;
