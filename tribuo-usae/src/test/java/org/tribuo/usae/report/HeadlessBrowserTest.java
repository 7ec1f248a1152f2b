package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The parts of {@link HeadlessBrowser} that need no browser: reading a dumped DOM, and bad input. */
class HeadlessBrowserTest {
    @Test
    void parsesReadyStateErrorsAndChartsPerKind() {
        String dom = "<html><head></head><body class=\"x\" data-report-ready=\"error: a &lt; b &amp; c\">"
                + "<div id=\"report-errors\" class=\"errors\"><strong>Script errors:</strong><ul>"
                + "<li>TypeError: <code>f</code> is &quot;undefined&quot;</li><li>second</li></ul></div>"
                + "<svg class=\"chart\" data-chart=\"heatmap\"></svg><svg class=\"chart\" data-chart=\"bar\"></svg>"
                + "<svg class=\"chart\" data-chart=\"heatmap\"></svg><svg class=\"overlay\"></svg></body></html>";
        PageCheck c = HeadlessBrowser.parse(dom);
        assertEquals("error: a < b & c", c.readyState());
        assertEquals(List.of("TypeError: f is \"undefined\"", "second"), c.scriptErrors());
        assertEquals(Map.of("heatmap", 2, "bar", 1), c.chartsByKind());
        assertEquals(List.of("heatmap", "bar"), List.copyOf(c.chartsByKind().keySet()), "order of first appearance");
        assertEquals(3, c.totalCharts(), "the overlay is not a chart");
        assertEquals(0, c.charts("scatter"));
        assertFalse(c.ok());
    }

    @Test
    void okNeedsReadyAndNoErrors() {
        String clean = "<body data-report-ready=\"ok\"><div id=\"report-errors\" hidden=\"\"><ul></ul></div></body>";
        assertTrue(HeadlessBrowser.parse(clean).ok());
        assertEquals(List.of(), HeadlessBrowser.parse(clean).scriptErrors());
        PageCheck pending = HeadlessBrowser.parse(clean.replace("\"ok\"", "\"pending\""));
        assertFalse(pending.ok());
        assertEquals("pending", pending.readyState());
        assertEquals("", HeadlessBrowser.parse("<body><p>not a report</p></body>").readyState());
    }

    @Test
    void missingBinarySaysHowToInstallChromium() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HeadlessBrowser(Path.of("/no/such/chromium"), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("/no/such/chromium") && e.getMessage().contains("apt-get install chromium"),
                e.getMessage());
    }

    @Test
    void xmlUnescapeInvertsEscape() {
        String s = "a<b>&\"c'\u00e9 \u2603";
        assertEquals(s, Xml.unescape(Xml.escape(s)));
        assertEquals("\u00e9\u2603\u00a0", Xml.unescape("&#233;&#x2603;&nbsp;"));
    }
}
