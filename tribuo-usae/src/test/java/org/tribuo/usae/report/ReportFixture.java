package org.tribuo.usae.report;

import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.metrics.R2Matrix;
import org.tribuo.usae.model.UsaeModel;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A report with every chart kind and both gallery kinds, from hand-made numbers and planted concepts:
 * 2 heatmaps, 1 histogram, 1 line chart, 1 scatter, 1 bar chart, a table, a text gallery (concept 2
 * planted on the word "cat") and an image gallery (concept 1 planted on a bright 2x2-cell square).
 */
final class ReportFixture {
    static final int HEATMAPS = 2;
    static final int TEXT_EXAMPLES = 3;
    static final int IMAGE_EXAMPLES = 4;
    static final int IMAGE_MODELS = 2;

    private ReportFixture() {
    }

    static Path write(Path file) {
        HtmlReport report = HtmlReport.builder("USAE report: <fixture> & friends")
                .fact("models", "DinoV2, SigLIP, ViT")
                .fact("rows", "6272 tokens of 32 images")
                .fact("note", "<script>alert(1)</script>");
        double[][] r2 = {{0.77, 0.41, 0.35}, {0.22, 0.61, 0.30}, {0.18, 0.33, 0.59}};
        double[][] mse = {{0.19, 0.52, 0.60}, {0.71, 0.39, 0.65}, {0.80, 0.62, 0.41}};
        R2Matrix m = new R2Matrix(new String[]{"DinoV2", "SigLIP", "ViT"}, r2, r2, r2, mse);
        report.chart("Reconstruction R\u00b2", "Row = encoder, column = decoder; the diagonal is self reconstruction.",
                Heatmap.r2(m, R2Kind.OFFICIAL));
        report.chart("Reconstruction MSE", "Lower is better.", Heatmap.r2(m, R2Kind.MSE));
        double[] fe = new double[400];
        for (int i = 0; i < fe.length; i++) {
            // two bumps, near 0.6 and near 1, as the paper's Fig. 6a
            fe[i] = i % 3 == 0 ? 0.55 + (i % 17) / 100.0 : Math.min(1, 0.9 + (i % 11) / 100.0);
        }
        report.chart("Firing entropy", "Concepts by firing entropy: 1 = fires equally in every model.",
                Histogram.svg(fe, 20, 0, 1, "firing entropy", "concepts"));
        List<LineChart.Series> series = new ArrayList<>();
        String[] names = {"DinoV2", "SigLIP", "ViT"};
        for (int s = 0; s < 3; s++) {
            double[] x = new double[1000];
            double[] y = new double[1000];
            for (int i = 0; i < 1000; i++) {
                x[i] = i + 1;
                y[i] = (0.8 - 0.1 * s) * Math.exp(-i / 400.0);
            }
            series.add(new LineChart.Series(names[s], x, y));
        }
        report.chart("Co-fire proportion by energy rank", "Top 1000 concepts by energy.",
                LineChart.svg(series, true, "energy rank", "co-fire proportion"));
        double[] cofire = new double[300];
        double[] energy = new double[300];
        String[] labels = new String[300];
        for (int i = 0; i < 300; i++) {
            cofire[i] = Math.pow(10, (i % 50) / 10.0);
            energy[i] = 0.01 * Math.pow(cofire[i], 0.23) * (1 + 0.3 * Math.sin(i));
            labels[i] = "concept " + i;
        }
        report.chart("Co-firing against energy", "Each point is a concept.",
                ScatterChart.logLog(cofire, energy, labels, 1000, "co-fire count", "energy"));
        report.chart("Dead latents", "Share of latents that never fire.", BarChart.svg(names, List.of(
                new BarChart.Series("never > 0", new double[]{0.02, 0.05, 0.04}),
                new BarChart.Series("never > \u03c4 = 0.1", new double[]{0.06, 0.09, 0.07})), "model", "fraction of latents"));
        report.table("Probe", "1-D logistic probe per task; lower is better.", new HtmlTable(List.of("task", "latent", "test log-loss"),
                List.of(List.of("cat", 17, 0.412), List.of("dog", 3, 0.537), List.of("car <&>", 255, 0.6931))));
        textConcepts(report);
        imageConcepts(report);
        report.write(file);
        return file;
    }

    /** Five sentences; dim-4 identity codes; concept 2 is high on "cat" tokens in both models. */
    private static void textConcepts(HtmlReport report) {
        String[][] sentences = {{"the", "cat", "sat"}, {"a", "dog", "ran", "far"}, {"cat", "##s", "and", "cat", "##s"},
                {"hello"}, {"my", "cat", "is", "<b>bold</b>"}};
        StringBuilder tsv = new StringBuilder(TextGallery.HEADER + "\n");
        List<float[]> a = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Long> pos = new ArrayList<>();
        for (int s = 0; s < sentences.length; s++) {
            tsv.append(s).append("\tlabel").append(s).append('\t').append(sentences[s].length).append('\t')
                    .append(String.join(" ", sentences[s])).append("\t").append(String.join(" ", sentences[s])).append('\n');
            for (int t = 0; t < sentences[s].length; t++) {
                boolean cat = sentences[s][t].equals("cat");
                a.add(new float[]{0.1f, 0, cat ? 2f : 0.05f * t, 0});
                b.add(new float[]{0, 0.2f, cat ? 1.5f : 0, 0.3f});
                ids.add((long) s);
                pos.add((long) t);
            }
        }
        TextGallery gallery;
        try {
            // the gallery reads the file the text extraction writes; it lives only while being read
            Path tsvFile = Files.createTempFile("inputs", ".tsv");
            Files.writeString(tsvFile, tsv.toString());
            gallery = TextGallery.read(tsvFile);
            Files.delete(tsvFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("bert", "minilm"), new int[]{4, 4},
                new float[][]{flat(a), flat(b)}, RowIndex.of(ids.stream().mapToLong(Long::longValue).toArray(),
                pos.stream().mapToLong(Long::longValue).toArray()));
        UsaeModel model = IdentityModels.identity(List.of("bert", "minilm"), 4, 2);
        List<ConceptPanel> panels = ConceptExamples.find(model, set, new int[]{2, 3}, TEXT_EXAMPLES, 16);
        report.concepts("Text concepts", "Top inputs by mean activation.", panels, gallery);
    }

    /** Six 64x64 images with a bright square at a different place; 4x4 grid; concept 1 fires under the square. */
    private static void imageConcepts(HtmlReport report) {
        int n = 6;
        int grid = 4;
        List<BufferedImage> images = new ArrayList<>();
        List<float[]> a = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Long> pos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int sy = i % 3;
            int sx = (i + 1) % 3;
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int cy = y / 16;
                    int cx = x / 16;
                    boolean square = cy >= sy && cy < sy + 2 && cx >= sx && cx < sx + 2;
                    img.setRGB(x, y, square ? 0xf0f0f0 : (0x20 + 3 * x) << 16 | (0x30 + 2 * y) << 8 | 0x60);
                }
            }
            images.add(img);
            for (int p = 0; p < grid * grid; p++) {
                int cy = p / grid;
                int cx = p % grid;
                boolean square = cy >= sy && cy < sy + 2 && cx >= sx && cx < sx + 2;
                // strength grows with the image index so the ranking is clear; siglip sees the square weaker
                a.add(new float[]{0.1f, square ? 1f + i : 0, 0});
                b.add(new float[]{0, square ? 0.5f + 0.5f * i * (cx - sx + 1) : 0.05f, 0.2f});
                ids.add((long) i);
                pos.add((long) p);
            }
        }
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("dino", "siglip"), new int[]{3, 3},
                new float[][]{flat(a), flat(b)}, RowIndex.of(ids.stream().mapToLong(Long::longValue).toArray(),
                pos.stream().mapToLong(Long::longValue).toArray()));
        UsaeModel model = IdentityModels.identity(List.of("dino", "siglip"), 3, 2);
        List<ConceptPanel> panels = ConceptExamples.find(model, set, new int[]{1}, IMAGE_EXAMPLES, 32);
        report.concepts("Image concepts", "Top images by mean activation.", panels,
                new ImageGallery(id -> images.get((int) id), 0, 0));
    }

    private static float[] flat(List<float[]> rows) {
        int d = rows.get(0).length;
        float[] out = new float[rows.size() * d];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, out, r * d, d);
        }
        return out;
    }
}
