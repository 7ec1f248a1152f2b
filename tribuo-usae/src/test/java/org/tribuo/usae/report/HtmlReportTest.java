package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class HtmlReportTest {

    @Test
    void pageIsSelfContainedAndEscaped(@TempDir Path dir) throws Exception {
        Path file = ReportFixture.write(dir.resolve("out/report.html"));
        String html = Files.readString(file);
        // embedded PNGs are base64 (which may hold "//"); check the rest of the page
        html = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]*", "data:image/png;base64,");
        // no network and no other file: no URL scheme other than data:, no src=, no url(), no @import
        assertFalse(Pattern.compile("(?i)\\b(https?|ftp|file|ws|wss):").matcher(html).find(), "URL scheme found");
        assertFalse(Pattern.compile("(?i)\\ssrc\\s*=").matcher(html).find(), "src= found");
        assertFalse(html.contains("url("), "CSS url() found");
        assertFalse(html.contains("@import"), "@import found");
        assertFalse(html.contains("//"), "protocol-relative URL or comment found");
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        int links = 0;
        while (href.find()) {
            links++;
            String h = href.group(1);
            assertTrue(h.startsWith("#") || h.startsWith("data:image/png;base64,"), h);
        }
        assertTrue(links > 0);
        // every chart kind, one section per chart, the facts, and escaped user text
        for (String kind : List.of("heatmap", "histogram", "line", "scatter", "bar")) {
            assertTrue(html.contains("data-chart=\"" + kind + "\""), kind);
        }
        assertTrue(html.contains("<dt>models</dt>"));
        assertTrue(html.contains("&lt;script&gt;"), "fact text must be escaped");
        assertFalse(html.contains("<script>alert"));
        assertTrue(html.contains("data-report-ready=\"pending\""));
        // no temp file left behind by the atomic write
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void chartSectionsTakeOnlyCharts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HtmlReport.builder("t").chart("x", "y", "<div>no</div>"));
        assertTrue(e.getMessage().contains("section 'x'"), e.getMessage());
    }
}
