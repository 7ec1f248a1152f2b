package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.metrics.LogLogFit;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.metrics.R2Matrix;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ChartSvgTest {

    private static Element root(Document d, String kind) {
        Element svg = d.getDocumentElement();
        assertEquals("svg", svg.getTagName());
        assertEquals("chart", svg.getAttribute("class"));
        assertEquals(kind, svg.getAttribute("data-chart"));
        return svg;
    }

    @Test
    void r2HeatmapHasOneColouredAnnotatedCellPerEntry() {
        double[][] r2 = {{1.0, 0.5}, {0.0, -1.0}};
        double[][] mse = {{0.0, 2.0}, {1.0, 4.0}};
        R2Matrix m = new R2Matrix(new String[]{"dino<v2>", "clip&img"}, r2, r2, r2, mse);
        Document d = SvgAssert.parse(Heatmap.r2(m, R2Kind.OFFICIAL));
        root(d, "heatmap");
        List<Element> cells = SvgAssert.byClass(d, "rect", "mark");
        assertEquals(4, cells.size());
        // row-major: diverging red-white-blue on [-1, 1]: 1 -> blue end, 0.5 -> light blue, 0 -> white, -1 -> red end
        assertEquals("#0571b0", cells.get(0).getAttribute("fill"));
        assertEquals("#92c5de", cells.get(1).getAttribute("fill"));
        assertEquals("#f7f7f7", cells.get(2).getAttribute("fill"));
        assertEquals("#ca0020", cells.get(3).getAttribute("fill"));
        // the tooltip names source -> target, the names are escaped and parse back intact
        String tip = cells.get(1).getElementsByTagName("title").item(0).getTextContent();
        assertEquals("dino<v2> \u2192 clip&img: R\u00b2 (official) = 0.5000", tip);
        // the value is printed in every cell (3 decimals at this cell size)
        String all = d.getDocumentElement().getTextContent();
        assertTrue(all.contains("0.500") && all.contains("-1.000"), all);

        // MSE uses viridis from 0 to the largest entry (4): 0 -> #440154, 2 -> #21918c, 4 -> #fde725
        Document dm = SvgAssert.parse(Heatmap.r2(m, R2Kind.MSE));
        List<Element> mc = SvgAssert.byClass(dm, "rect", "mark");
        assertEquals("#440154", mc.get(0).getAttribute("fill"));
        assertEquals("#21918c", mc.get(1).getAttribute("fill"));
        assertEquals("#fde725", mc.get(3).getAttribute("fill"));
    }

    @Test
    void heatmapRejectsRaggedRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Heatmap.svg(new String[]{"a", "b"},
                new String[]{"x", "y"}, new double[][]{{1, 2}, {3}}, ColorScale.viridis(0, 1), "r", "c", "v"));
        assertTrue(e.getMessage().contains("row 1 has 1 values"), e.getMessage());
    }

    @Test
    void histogramCountsAndBars() {
        // 4 bins of width 0.25 on [0, 1]: 0 and 0.1 -> bin 0; 0.25 -> bin 1 (left-closed); 0.6 -> bin 2;
        // 0.99 and 1.0 -> bin 3 (the last bin holds hi); NaN skipped
        double[] v = {0, 0.1, 0.25, 0.6, 0.99, 1.0, Double.NaN};
        assertArrayEquals(new long[]{2, 1, 1, 2}, Histogram.counts(v, 4, 0, 1));
        Document d = SvgAssert.parse(Histogram.svg(v, 4, 0, 1, "firing entropy", "concepts"));
        root(d, "histogram");
        List<Element> bars = SvgAssert.byClass(d, "rect", "mark");
        assertEquals(4, bars.size());
        assertEquals("2", bars.get(0).getAttribute("data-count"));
        // equal counts draw equal heights; count 2 is twice count 1
        double h0 = Double.parseDouble(bars.get(0).getAttribute("height"));
        double h1 = Double.parseDouble(bars.get(1).getAttribute("height"));
        assertEquals(h0, Double.parseDouble(bars.get(3).getAttribute("height")), 1e-9);
        assertEquals(2 * h1, h0, 0.02);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Histogram.counts(new double[]{0.5, 1.5}, 4, 0, 1));
        assertTrue(e.getMessage().contains("value 1 = 1.5"), e.getMessage());
    }

    @Test
    void lineChartDrawsOnePathPerSeriesAndBreaksAtGaps() {
        LineChart.Series a = new LineChart.Series("DinoV2", new double[]{1, 10, 100}, new double[]{0.8, 0.6, 0.3});
        LineChart.Series b = new LineChart.Series("SigLIP", new double[]{1, 10, 100}, new double[]{0.7, Double.NaN, 0.2});
        Document d = SvgAssert.parse(LineChart.svg(List.of(a, b), true, "energy rank", "co-fire proportion"));
        root(d, "line");
        List<Element> lines = SvgAssert.byClass(d, "path", "mark");
        assertEquals(2, lines.size());
        // series b has a NaN in the middle: two moves, no line segment
        String path = lines.get(1).getAttribute("d");
        assertEquals(2, path.chars().filter(c -> c == 'M').count(), path);
        assertEquals(0, path.chars().filter(c -> c == 'L').count(), path);
        // log x: 1, 10, 100 are evenly spaced
        String[] pts = lines.get(0).getAttribute("d").substring(1).split("L");
        double x0 = Double.parseDouble(pts[0].split(" ")[0]);
        double x1 = Double.parseDouble(pts[1].split(" ")[0]);
        double x2 = Double.parseDouble(pts[2].split(" ")[0]);
        assertEquals(x1 - x0, x2 - x1, 0.02);
        // the legend names both series, in palette colours
        String text = d.getDocumentElement().getTextContent();
        assertTrue(text.contains("DinoV2") && text.contains("SigLIP"));
        assertEquals(Palette.color(1), lines.get(1).getAttribute("stroke"));
    }

    @Test
    void scatterDrawsPositivePointsAndFits() {
        double[] x = {1, 10, 100, 1000, 0};
        double[] y = {1, 100, 10, 50, 5};
        Document d = SvgAssert.parse(ScatterChart.logLog(x, y, null, 10, "co-fire count", "energy"));
        root(d, "scatter");
        assertEquals(4, SvgAssert.byClass(d, "circle", "mark").size());
        assertEquals(2, SvgAssert.byClass(d, "path", "fit").size());
        String text = d.getDocumentElement().getTextContent();
        LogLogFit f = LogLogFit.of(x, y, 0);
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "r = %.2f, slope = %.2f, n = 4", f.pearson(), f.slope())), text);
        // no positive point: the chart's empty form (EmptyChartTest), not an exception
        assertTrue(ScatterChart.logLog(new double[]{0}, new double[]{1}, null, Double.NaN, "x", "y")
                .contains(EmptyChart.PREFIX));
    }

    @Test
    void groupedBarsOnePerCategoryAndSeries() {
        Document d = SvgAssert.parse(BarChart.svg(new String[]{"a", "b", "c"}, List.of(
                new BarChart.Series("dead (raw)", new double[]{0.1, 0.0, 0.3}),
                new BarChart.Series("dead (tau)", new double[]{0.2, 0.05, 0.4})), "model", "fraction dead"));
        root(d, "bar");
        List<Element> bars = SvgAssert.byClass(d, "rect", "mark");
        assertEquals(6, bars.size());
        // heights are proportional to the values: 0.4 is twice 0.2 (both start at 0)
        double h02 = Double.parseDouble(bars.get(1).getAttribute("height"));
        double h04 = Double.parseDouble(bars.get(5).getAttribute("height"));
        assertEquals(2 * h02, h04, 0.02);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BarChart.svg(new String[]{"a"},
                List.of(new BarChart.Series("s", new double[]{Double.NaN})), "x", "y"));
        assertTrue(e.getMessage().contains("'s' value for 'a' is NaN"), e.getMessage());
    }

    @Test
    void tablesEscapeTextAndKeepNumbersSortable() {
        HtmlTable t = new HtmlTable(List.of("task", "log-loss"), List.of(List.of("<b>cat</b>", 0.123456), List.of("dog", 7L)));
        Document d = SvgAssert.parse(t.toHtml());
        assertEquals(2, d.getElementsByTagName("th").getLength());
        Element num = (Element) d.getElementsByTagName("td").item(1);
        assertEquals("0.1235", num.getTextContent());
        assertEquals("0.123456", num.getAttribute("data-sort"));
        assertEquals("<b>cat</b>", d.getElementsByTagName("td").item(0).getTextContent());
        assertThrows(IllegalArgumentException.class, () -> new HtmlTable(List.of("a", "b"), List.of(List.of("x"))));
    }
}
