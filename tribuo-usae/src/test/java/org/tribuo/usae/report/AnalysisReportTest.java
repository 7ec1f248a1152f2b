package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.model.UsaeModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisReportTest {
    @Test
    void matchedFractionCountsCosinesStrictlyAboveEachThreshold() {
        LineChart.Series s = AnalysisReport.matchedFraction("a", new double[]{0.2, 0.6, 0.9, -0.1});
        assertEquals(101, s.x().length);
        assertEquals(0.75, s.y()[0], 0.0);   // t = 0: 0.2, 0.6, 0.9
        assertEquals(0.5, s.y()[50], 0.0);   // t = 0.5: 0.6, 0.9
        assertEquals(0.25, s.y()[60], 0.0);  // t = 0.6: 0.9 only (strictly above)
        assertEquals(0.0, s.y()[90], 0.0);   // t = 0.9: none
        assertEquals(1.0, s.x()[100], 0.0);
    }

    @Test
    void pageHasEveryFigureOfThePaperAndTheConsistencySections() {
        // identity encoders: the code of a row is its own positive entries (top 2 of 4)
        UsaeModel model = IdentityModels.identity(List.of("a", "b"), 4, 2);
        float[] a = {1, 0, 0.5f, 0, 0, 2, 0, 0, 3, 0, 0, 1, 0.2f, 0.3f, 0, 0};
        float[] b = {1, 0, 0, 0, 0, 2, 0.4f, 0, 0, 0, 0, 1, 0.2f, 0, 0, 0};
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("a", "b"), new int[]{4, 4}, new float[][]{a, b});
        EvaluationReport eval = ModelEvaluation.evaluate(model, set, 0, 4, 4);
        // the USAE compared with itself: every concept is matched with cosine 1
        ConceptAnalysisResult concepts = ConceptAnalysis.run(model, set, 0, 4, 4,
                ConceptAnalysis.Options.DEFAULT.withIndependentModels(List.of(IdentityModels.identity(List.of("a"), 4, 2),
                        IdentityModels.identity(List.of("b"), 4, 2))));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model", "identity <test>");
        String html = AnalysisReport.build(new AnalysisReport.Inputs("t", facts, eval, concepts, null, List.of(), null, 1000,
                "CAM", "how", Map.of()))
                .build();

        assertEquals(List.of("Reconstruction R² matrix", "Reconstruction R² matrix (variance-weighted)", "Firing entropy",
                "Co-fire proportion by energy rank", "Co-firing vs importance", "Dead concepts", "Unique and universal concepts",
                "Consistency with independently trained SAEs", "Consistency summary"), headings(html));
        assertEquals(List.of("heatmap", "heatmap", "histogram", "line", "scatter", "bar", "line"), charts(html));
        assertTrue(html.contains("identity &lt;test&gt;"), "facts are escaped");
        // with visualize's images: one more section, one figure per tile
        byte[] png = HtmlReportImagesTest.PNG;
        String withCam = AnalysisReport.build(new AnalysisReport.Inputs("t", facts, eval, concepts, null, List.of(), null,
                1000, "CAM", "how", Map.of("Concept 3", List.of(new ImageTile("a", png), new ImageTile("b", png))))).build();
        assertEquals("CAM", headings(withCam).get(headings(withCam).size() - 1));
        assertEquals(2, withCam.split("data:image/png;base64,", -1).length - 1);
        // consistency summary: "all" rows have fraction 1 and AUC 1 for both models
        assertTrue(Pattern.compile("<td>a</td><td>all</td><td[^>]*>4</td><td[^>]*>1(\\.0+)?</td><td[^>]*>1(\\.0+)?</td>")
                .matcher(html).find(), html.substring(html.indexOf("Consistency summary")));
    }

    private static List<String> headings(String html) {
        Matcher m = Pattern.compile("<h2>([^<]*)</h2>").matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> charts(String html) {
        Matcher m = Pattern.compile("<svg class=\"chart\" data-chart=\"([a-z]+)\"").matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
