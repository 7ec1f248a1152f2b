package org.tribuo.usae.report;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Image examples as in the paper's Fig. 4 ({@code overlay_top_heatmaps_uni}): per model, the input
 * image (an embedded PNG data URI) with that model's token-grid map of the concept laid over it as
 * SVG cells in viridis with an alpha ramp from 0 (transparent) to 1 ("bright = stronger"). As in the
 * official code each map is min-max normalised on its own (per model and image); the tooltip of a
 * cell gives the raw activation. Each image is embedded once per figure and reused by the other
 * models' overlays. Token positions with no row (NaN activations, e.g. background tokens an extraction
 * left out, including trailing positions beyond the last row of an input) are drawn blank and left
 * out of the min-max. Not thread-safe (it caches encoded images).
 */
public final class ImageGallery implements InputGallery {
    /** Longest side of the embedded PNG, in pixels: enough to see the image, small enough for many panels. */
    static final int MAX_SIDE = 224;
    /** Displayed size of the longest side, in CSS pixels. */
    static final int SHOW_SIDE = 150;
    private static final ColorScale VIRIDIS = ColorScale.viridis(0, 1);

    /** Numbers gallery instances so element ids stay unique when a page holds several galleries. */
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private final LongFunction<BufferedImage> images;
    private final String idPrefix = "usae-g" + INSTANCES.incrementAndGet() + "-img";
    private int figures;
    private final int gridH;
    private final int gridW;
    private final Map<Long, Embedded> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Embedded> eldest) {
            return size() > 256;
        }
    };

    private record Embedded(String uri, int w, int h) {
    }

    /**
     * @param images input id to image (may return null for an unknown id).
     * @param gridH  token grid rows; 0 (with gridW 0) to infer a square grid from the token count.
     * @param gridW  token grid columns; token position p is cell (p / gridW, p % gridW).
     */
    public ImageGallery(LongFunction<BufferedImage> images, int gridH, int gridW) {
        if (gridH < 0 || gridW < 0 || (gridH == 0) != (gridW == 0)) {
            throw new IllegalArgumentException("image gallery: grid must be h, w > 0, or both 0 to infer a square, got "
                    + gridH + "x" + gridW);
        }
        this.images = images;
        this.gridH = gridH;
        this.gridW = gridW;
    }

    /**
     * @param tokens tokens per input.
     * @param gridH  given rows or 0.
     * @param gridW  given columns or 0.
     * @return {h, w} with h*w = tokens.
     * @throws IllegalArgumentException when the given grid does not hold the tokens or, with no grid
     * given, the count is not a square.
     */
    public static int[] grid(int tokens, int gridH, int gridW) {
        if (gridH > 0) {
            if ((long) gridH * gridW != tokens) {
                throw new IllegalArgumentException("token grid " + gridH + "x" + gridW + " does not hold " + tokens
                        + " tokens; give the grid the extraction left (e.g. 14x14)");
            }
            return new int[]{gridH, gridW};
        }
        int s = (int) Math.round(Math.sqrt(tokens));
        if (s * s != tokens || tokens == 0) {
            throw new IllegalArgumentException(tokens + " tokens per image is not a square grid; give the grid shape h x w");
        }
        return new int[]{s, s};
    }

    @Override
    public String kind() {
        return "image";
    }

    @Override
    public String howToRead() {
        return "Each image is shown once per model with that model's token map of the concept on top: brighter "
                + "(yellow, more opaque) = stronger, transparent = zero; each map is scaled to its own maximum; hover a cell for its value.";
    }

    @Override
    public String render(ConceptPanel panel, ConceptExample example) {
        // an input whose last positions have no rows has fewer tokens than the grid holds: they are blank
        int[] g = gridH > 0 && example.tokens() <= gridH * gridW ? new int[]{gridH, gridW} : grid(example.tokens(), gridH, gridW);
        Embedded img = cache.computeIfAbsent(example.inputId(), this::embed);
        double scale = (double) SHOW_SIDE / Math.max(img.w(), img.h());
        // the PNG is embedded once per figure; the other models' overlays reuse it with <use>
        String imageId = idPrefix + (++figures);
        StringBuilder sb = new StringBuilder("<figure class=\"example image-example\" data-input=\"")
                .append(example.inputId()).append("\"><figcaption>")
                .append(String.format(Locale.ROOT, "input %d \u00b7 score %.4g", example.inputId(), example.score()))
                .append("</figcaption>");
        for (int i = 0; i < panel.modelNames().size(); i++) {
            String model = panel.modelNames().get(i);
            float[] a = example.activations()[i];
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : a) {
                if (!Float.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            sb.append("<div class=\"overlay-wrap\"><svg class=\"overlay\" width=\"").append(Svg.num(img.w() * scale))
                    .append("\" height=\"").append(Svg.num(img.h() * scale)).append("\" viewBox=\"0 0 ").append(img.w())
                    .append(' ').append(img.h()).append("\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
                    .append(Xml.escape(model + " map of concept " + panel.concept() + " on input " + example.inputId()))
                    .append("\">");
            if (i == 0) {
                sb.append("<image id=\"").append(imageId).append("\" href=\"").append(img.uri())
                        .append("\" x=\"0\" y=\"0\" width=\"").append(img.w()).append("\" height=\"").append(img.h())
                        .append("\" preserveAspectRatio=\"none\"/>");
            } else {
                sb.append("<use href=\"#").append(imageId).append("\"/>");
            }
            double cw = (double) img.w() / g[1];
            double ch = (double) img.h() / g[0];
            for (int p = 0; p < a.length; p++) {
                // official normalize(): (v - min) / (max - min + 1e-6), then colour and alpha both follow it
                double t = (a[p] - lo) / (hi - lo + 1e-6);
                if (!(t > 0)) { // zero, or NaN: no row for this position
                    continue;
                }
                int y = p / g[1];
                int x = p % g[1];
                sb.append("<rect class=\"cell\" x=\"").append(Svg.num(x * cw)).append("\" y=\"").append(Svg.num(y * ch))
                        .append("\" width=\"").append(Svg.num(cw)).append("\" height=\"").append(Svg.num(ch))
                        .append("\" fill=\"").append(VIRIDIS.css(t)).append("\" fill-opacity=\"")
                        .append(String.format(Locale.ROOT, "%.3f", t)).append("\"><title>")
                        .append(Xml.escape(String.format(Locale.ROOT, "%s \u00b7 cell (%d, %d): %.4g", model, y, x, a[p])))
                        .append("</title></rect>");
            }
            sb.append("</svg><div class=\"model\">").append(Xml.escape(model)).append("</div></div>");
        }
        return sb.append("</figure>").toString();
    }

    private Embedded embed(long id) {
        BufferedImage img = images.apply(id);
        if (img == null) {
            throw new IllegalArgumentException("image gallery has no image for input " + id);
        }
        return new Embedded(pngDataUri(img, MAX_SIDE), shrunk(img.getWidth(), img.getHeight())[0],
                shrunk(img.getWidth(), img.getHeight())[1]);
    }

    private static int[] shrunk(int w, int h) {
        double s = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        return new int[]{Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s))};
    }

    /**
     * @param img     an image.
     * @param maxSide longest side of the result; larger images are scaled down (bilinear).
     * @return {@code data:image/png;base64,...}.
     */
    public static String pngDataUri(BufferedImage img, int maxSide) {
        double s = Math.min(1.0, (double) maxSide / Math.max(img.getWidth(), img.getHeight()));
        BufferedImage out = img;
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        if (s < 1 || img.getType() != BufferedImage.TYPE_INT_RGB) {
            out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, w, h, null);
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
