package org.tribuo.usae.report;

import org.tribuo.usae.data.AtomicFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one self-contained HTML report: a header with model and data facts, a table of contents,
 * then sections (a chart, a table or concept example panels), each with a short "how to read this"
 * caption. CSS and the small script are inline and nothing refers to the network or another file.
 *
 * <p>The script records any error (window.onerror) in a visible list and finally sets
 * {@code document.body.dataset.reportReady} to "ok", or to "error: ..." when something failed, so a
 * headless browser can check that the page rendered. It also makes tables sortable by clicking a
 * column header.
 */
public final class HtmlReport {
    private final String title;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();

    private record Section(String heading, String howToRead, String kind, String body) {
    }

    private HtmlReport(String title) {
        this.title = title;
    }

    /** @param title the page title. @return an empty report. */
    public static HtmlReport builder(String title) {
        return new HtmlReport(title);
    }

    /** @param name a fact (e.g. "models"). @param value its value. @return this. */
    public HtmlReport fact(String name, String value) {
        facts.put(name, value);
        return this;
    }

    /**
     * @param heading   section heading.
     * @param howToRead what the chart shows and how to read it.
     * @param svg       a chart from this package.
     * @return this.
     */
    public HtmlReport chart(String heading, String howToRead, String svg) {
        if (!svg.startsWith("<svg class=\"chart\"")) {
            throw new IllegalArgumentException("section '" + heading + "': expected a chart SVG from org.tribuo.usae.report");
        }
        sections.add(new Section(heading, howToRead, "chart", "<div class=\"figure\">" + svg + "</div>"));
        return this;
    }

    /** @param heading section heading. @param howToRead what the table holds. @param table the table. @return this. */
    public HtmlReport table(String heading, String howToRead, HtmlTable table) {
        return table(heading, howToRead, table, null);
    }

    /**
     * A table with a note above it, for a table whose rows hold no result on the analysed data (e.g. no label
     * had enough positive inputs for a probe): the reader learns why instead of seeing only empty or NaN cells.
     *
     * @param heading   section heading.
     * @param howToRead what the table holds.
     * @param table     the table.
     * @param note      why it shows no result, or null for no note.
     * @return this.
     */
    public HtmlReport table(String heading, String howToRead, HtmlTable table, String note) {
        String shown = note == null ? "" : "<p class=\"note nothing-to-show\">" + Xml.escape(note) + "</p>";
        sections.add(new Section(heading, howToRead, "table", shown + "<div class=\"table-wrap\">" + table.toHtml() + "</div>"));
        return this;
    }

    /**
     * @param heading   section heading.
     * @param howToRead how the concepts were chosen; the gallery adds how its drawings read.
     * @param panels    concept panels.
     * @param gallery   draws each example.
     * @return this.
     */
    public HtmlReport concepts(String heading, String howToRead, List<ConceptPanel> panels, InputGallery gallery) {
        int n = sections.size() + 1;
        StringBuilder sb = new StringBuilder("<nav class=\"jump\">Jump to concept:");
        for (ConceptPanel p : panels) {
            sb.append(" <a href=\"#c").append(n).append('-').append(p.concept()).append("\">").append(p.concept()).append("</a>");
        }
        sb.append("</nav>");
        for (ConceptPanel p : panels) {
            sb.append("<div class=\"concept\" id=\"c").append(n).append('-').append(p.concept()).append("\" data-gallery=\"")
                    .append(Xml.escape(gallery.kind())).append("\"><h3>Concept ").append(p.concept()).append("</h3>");
            if (p.examples().isEmpty()) {
                sb.append("<p class=\"note\">This concept never fired on the evaluated inputs.</p>");
            }
            sb.append("<div class=\"examples ").append(Xml.escape(gallery.kind())).append("\">");
            for (ConceptExample e : p.examples()) {
                sb.append(gallery.render(p, e));
            }
            sb.append("</div></div>");
        }
        sections.add(new Section(heading, howToRead + " " + gallery.howToRead(), "concepts", sb.toString()));
        return this;
    }

    /**
     * A panel of embedded images: one row per entry of {@code rows}, each row a heading and its tiles side by side
     * (e.g. one concept's visualisation in every model).
     *
     * @param heading   section heading.
     * @param howToRead what the images show.
     * @param rows      row heading to its tiles, in display order.
     * @return this.
     */
    public HtmlReport images(String heading, String howToRead, Map<String, List<ImageTile>> rows) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<ImageTile>> row : rows.entrySet()) {
            sb.append("<div class=\"image-row\"><h3>").append(Xml.escape(row.getKey()))
                    .append("</h3><div class=\"examples image\">");
            for (ImageTile t : row.getValue()) {
                sb.append("<figure class=\"tile\"><img alt=\"").append(Xml.escape(t.caption()))
                        .append("\" src=\"data:image/png;base64,")
                        .append(java.util.Base64.getEncoder().encodeToString(t.png()))
                        .append("\"><figcaption>").append(Xml.escape(t.caption())).append("</figcaption></figure>");
            }
            sb.append("</div></div>");
        }
        sections.add(new Section(heading, howToRead, "images", sb.toString()));
        return this;
    }

    /** @return the whole page. */
    public String build() {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Xml.escape(title)).append("</title><style>").append(CSS).append("</style><script>")
                .append(HEAD_SCRIPT).append("</script></head>\n<body data-report-ready=\"pending\"><header><h1>")
                .append(Xml.escape(title)).append("</h1>");
        if (!facts.isEmpty()) {
            sb.append("<dl class=\"facts\">");
            facts.forEach((k, v) -> sb.append("<dt>").append(Xml.escape(k)).append("</dt><dd>").append(Xml.escape(v)).append("</dd>"));
            sb.append("</dl>");
        }
        sb.append("<div id=\"report-errors\" class=\"errors\" hidden><strong>Script errors:</strong><ul></ul></div>");
        sb.append("<nav class=\"toc\"><ol>");
        for (int i = 0; i < sections.size(); i++) {
            sb.append("<li><a href=\"#s").append(i + 1).append("\">").append(Xml.escape(sections.get(i).heading())).append("</a></li>");
        }
        sb.append("</ol></nav></header>\n<main>");
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            sb.append("<section id=\"s").append(i + 1).append("\" class=\"").append(s.kind()).append("\"><h2>")
                    .append(Xml.escape(s.heading())).append("</h2><p class=\"how\">").append(Xml.escape(s.howToRead()))
                    .append("</p>").append(s.body()).append("</section>\n");
        }
        sb.append("</main><script>").append(BODY_SCRIPT).append("</script></body></html>\n");
        return sb.toString();
    }

    /** @param file where to write the page (atomically: temp file, fsync, rename). */
    public void write(Path file) {
        AtomicFiles.writeString(file, build());
    }

    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1180px;padding:0 24px 48px;color:#222;background:#fff}",
            "h1{font-size:1.6em;margin:24px 0 8px}h2{font-size:1.25em;margin:0 0 4px}h3{font-size:1.05em;margin:16px 0 6px}",
            "section{border-top:1px solid #ddd;padding:18px 0}",
            ".how{color:#555;max-width:860px;margin:0 0 12px;font-size:.92em}",
            ".facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:.92em}.facts dt{font-weight:600}.facts dd{margin:0}",
            ".toc ol{columns:2;font-size:.92em}.errors{background:#fee;border:1px solid #c00;padding:8px;margin:8px 0}",
            "svg.chart{display:block;max-width:100%;height:auto;font-family:inherit}svg text{font-family:inherit}",
            "table.data{border-collapse:collapse;font-size:.88em}table.data th,table.data td{border:1px solid #ddd;padding:3px 8px}",
            "table.data th{background:#f4f4f4;cursor:pointer;user-select:none}table.data td.num{text-align:right;font-variant-numeric:tabular-nums}",
            "th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}",
            ".table-wrap{overflow-x:auto}.jump{font-size:.9em;margin-bottom:8px}.jump a{margin:0 2px}",
            ".examples.image{display:flex;flex-wrap:wrap;gap:10px}",
            "figure.tile{margin:0;font-size:.8em;text-align:center}figure.tile img{display:block;max-width:240px;image-rendering:auto}",
            ".image-example{margin:0;border:1px solid #e5e5e5;padding:4px;display:flex;flex-direction:column;gap:3px}",
            ".image-example figcaption{font-size:.8em;color:#444}.overlay-wrap .model{font-size:.75em;color:#555;text-align:center}",
            "svg.overlay{display:block;background:#000}",
            ".text-example{border:1px solid #e5e5e5;padding:6px;margin:6px 0}.ex-head{font-size:.8em;color:#444;margin-bottom:4px}",
            ".tok-line{display:flex;gap:8px;align-items:baseline;line-height:1.7}.tok-line .model{flex:0 0 110px;font-size:.8em;color:#555;text-align:right;overflow:hidden;text-overflow:ellipsis}",
            ".tok{border-radius:3px;padding:0 1px}.note{color:#777;font-style:italic}");

    /** Records errors from the first moment; shows each once in the error box as soon as it exists. */
    private static final String HEAD_SCRIPT = String.join("\n",
            "window.usaeReport={errors:[],shown:0,flush:function(){",
            "  var r=window.usaeReport,box=document.getElementById('report-errors');",
            "  if(!box||!r.errors.length){return;}",
            "  var ul=box.querySelector('ul');",
            "  while(r.shown<r.errors.length){var li=document.createElement('li');li.textContent=r.errors[r.shown++];ul.appendChild(li);}",
            "  box.hidden=false;",
            "  if(document.body){document.body.dataset.reportReady='error: '+r.errors[0];}",
            "}};",
            "window.onerror=function(msg,src,line,col){",
            "  window.usaeReport.errors.push(String(msg)+(line?' (line '+line+':'+col+')':''));",
            "  window.usaeReport.flush();",
            "};");

    private static final String BODY_SCRIPT = String.join("\n",
            "(function(){",
            "  function cellValue(td){var s=td.getAttribute('data-sort');return s!==null?parseFloat(s):td.textContent;}",
            "  function sortBy(table,col,th){",
            "    var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);",
            "    var asc=th.getAttribute('aria-sort')!=='ascending';",
            "    rows.sort(function(a,b){var x=cellValue(a.cells[col]),y=cellValue(b.cells[col]);",
            "      var c=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));return asc?c:-c;});",
            "    Array.prototype.forEach.call(th.parentNode.cells,function(h){h.removeAttribute('aria-sort');});",
            "    th.setAttribute('aria-sort',asc?'ascending':'descending');",
            "    rows.forEach(function(r){body.appendChild(r);});",
            "  }",
            "  try{",
            "    document.querySelectorAll('table.sortable').forEach(function(table){",
            "      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){",
            "        th.addEventListener('click',function(){sortBy(table,col,th);});",
            "      });",
            "    });",
            "  }catch(e){window.usaeReport.errors.push(String(e&&e.message||e));}",
            "  var r=window.usaeReport;",
            "  if(r.errors.length){r.flush();}else{document.body.dataset.reportReady='ok';}",
            "})();");
}
