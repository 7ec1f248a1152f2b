package org.tribuo.usae.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text examples: the input's word pieces once per model, each piece's background as opaque as its
 * activation relative to the largest activation of that example over all models (one shared scale, so
 * models compare), the exact value in the tooltip.
 */
public final class TextGallery implements InputGallery {
    /** The header line {@code inputs.tsv} starts with (see the text extraction). */
    public static final String HEADER = "input_id\tlabel\tn_tokens\ttokens\ttext";

    /**
     * One text input.
     *
     * @param id     input id.
     * @param label  its label ("" when none).
     * @param tokens its word pieces, in token-position order.
     * @param text   the original text.
     */
    public record TextInput(long id, String label, String[] tokens, String text) {
    }

    private final Map<Long, TextInput> inputs;

    /** @param inputs the inputs (ids unique). */
    public TextGallery(List<TextInput> inputs) {
        this.inputs = new HashMap<>();
        for (TextInput t : inputs) {
            if (this.inputs.put(t.id(), t) != null) {
                throw new IllegalArgumentException("text gallery: input id " + t.id() + " appears twice");
            }
        }
    }

    /**
     * @param file an {@code inputs.tsv}: header {@value #HEADER}, then one line per input.
     * @return the gallery.
     * @throws IllegalArgumentException naming the file, line and field when a line is malformed.
     */
    public static TextGallery read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read text inputs " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + ": expected the header '" + HEADER.replace("\t", "\\t")
                    + "' on line 1, got '" + (lines.isEmpty() ? "" : lines.get(0).replace("\t", "\\t")) + "'");
        }
        List<TextInput> out = new java.util.ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 5 tab-separated fields, got " + f.length);
            }
            long id = parse(file, i, "input_id", f[0]);
            long n = parse(file, i, "n_tokens", f[2]);
            String[] tokens = f[3].isEmpty() ? new String[0] : f[3].split(" ");
            if (tokens.length != n) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": n_tokens says " + n + " but the tokens field holds "
                        + tokens.length + " space-separated tokens");
            }
            out.add(new TextInput(id, f[1], tokens, f[4]));
        }
        return new TextGallery(out);
    }

    private static long parse(Path file, int line, String field, String value) {
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + (line + 1) + ": field " + field + " = '" + value
                    + "' is not a non-negative integer");
        }
    }

    @Override
    public String kind() {
        return "text";
    }

    @Override
    public String howToRead() {
        return "Each line is one model's activations of the concept on the same word pieces: the darker the "
                + "highlight, the stronger (scaled to the largest value of this example over all models); hover a piece for its value.";
    }

    @Override
    public String render(ConceptPanel panel, ConceptExample example) {
        TextInput in = inputs.get(example.inputId());
        if (in == null) {
            throw new IllegalArgumentException("text gallery has no input " + example.inputId());
        }
        if (in.tokens().length != example.tokens()) {
            throw new IllegalArgumentException("text input " + example.inputId() + " has " + in.tokens().length
                    + " tokens but the activation set has " + example.tokens() + " rows for it");
        }
        float max = example.max();
        StringBuilder sb = new StringBuilder("<div class=\"example text-example\" data-input=\"").append(example.inputId()).append("\">");
        sb.append("<div class=\"ex-head\">input ").append(example.inputId());
        if (!in.label().isEmpty()) {
            sb.append(" \u00b7 ").append(Xml.escape(in.label()));
        }
        sb.append(String.format(Locale.ROOT, " \u00b7 score %.4g</div>", example.score()));
        for (int i = 0; i < panel.modelNames().size(); i++) {
            String model = panel.modelNames().get(i);
            sb.append("<div class=\"tok-line\"><span class=\"model\">").append(Xml.escape(model)).append("</span><span class=\"toks\">");
            for (int t = 0; t < in.tokens().length; t++) {
                String tok = in.tokens()[t];
                boolean cont = tok.startsWith("##") && tok.length() > 2;
                float v = example.activations()[i][t];
                double alpha = max > 0 && v > 0 ? v / max : 0; // NaN (no row) draws as 0
                sb.append(cont ? "" : " ").append("<span class=\"tok\" style=\"background:rgba(230,159,0,")
                        .append(String.format(Locale.ROOT, "%.3f", alpha)).append(")\" title=\"")
                        .append(Xml.escape(String.format(Locale.ROOT, "%s \u00b7 token %d '%s': %.4g", model, t, tok, v)))
                        .append("\">").append(Xml.escape(cont ? tok.substring(2) : tok)).append("</span>");
            }
            sb.append("</span></div>");
        }
        return sb.append("</div>").toString();
    }
}
