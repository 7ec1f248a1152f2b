package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportImagesTest {
    /** The 8-byte PNG signature plus two payload bytes: enough for the tile's check and the data URI. */
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2};

    @Test
    void imagePanelEmbedsEveryTileAsADataUriWithItsCaption() {
        Map<String, List<ImageTile>> rows = new LinkedHashMap<>();
        rows.put("Concept 7", List.of(new ImageTile("rec", PNG), new ImageTile("cls <a&b>", PNG)));
        String html = HtmlReport.builder("t").images("CAM", "how", rows).build();
        String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
        assertEquals(2, html.split(java.util.regex.Pattern.quote(uri), -1).length - 1);
        assertTrue(html.contains("<h3>Concept 7</h3>"));
        assertTrue(html.contains("<figcaption>cls &lt;a&amp;b&gt;</figcaption>"), html);
        assertTrue(html.indexOf("<figcaption>rec</figcaption>") < html.indexOf("<figcaption>cls"));
    }

    @Test
    void nonPngBytesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageTile("x", new byte[]{'G', 'I', 'F', '8', '9', 'a', 0, 0}));
        assertTrue(e.getMessage().contains("image tile 'x': not PNG bytes"), e.getMessage());
    }
}
