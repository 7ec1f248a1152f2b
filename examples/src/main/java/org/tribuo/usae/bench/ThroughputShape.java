package org.tribuo.usae.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sizes one throughput measurement trains at.
 *
 * @param name   "paper", "small", "text", "vision" or "custom".
 * @param dims   model widths.
 * @param latents m.
 * @param k      active latents per row.
 * @param rows   rows (tokens) per step.
 */
record ThroughputShape(String name, int[] dims, int latents, int k, int rows) {
    /** The USAE paper's instance: SigLIP, DinoV2, ViT widths; m = 8 x 768; k = 32; 32 images x 196 tokens. */
    static ThroughputShape paper() {
        return new ThroughputShape("paper", new int[]{768, 384, 768}, 6144, 32, 6272);
    }

    /** The recovery benchmark's sizes (widths 64, 96, 128; m = 1024; k = 16) at 4096 rows per step. */
    static ThroughputShape small() {
        return new ThroughputShape("small", new int[]{64, 96, 128}, 1024, 16, 4096);
    }

    /**
     * The real text job's training shape (real-trainer.xml: three 384-wide sentence encoders, m 2048, k 16, batch 256),
     * where users train the default recipe.
     */
    static ThroughputShape text() {
        return new ThroughputShape("text", new int[]{384, 384, 384}, 2048, 16, 256);
    }

    /** The vision job's training shape (vision-trainer.xml: CNN widths 1280, 2048, 1792; m 512; k 16; batch 256). */
    static ThroughputShape vision() {
        return new ThroughputShape("vision", new int[]{1280, 2048, 1792}, 512, 16, 256);
    }

    /**
     * @param name "paper", "small", "text" or "vision" (any case).
     * @return the shape.
     * @throws IllegalArgumentException naming the value and the known shapes.
     */
    static ThroughputShape named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "paper" -> paper();
            case "small" -> small();
            case "text" -> text();
            case "vision" -> vision();
            default -> throw new IllegalArgumentException("--shape: '" + name + "' is not a shape; expected paper, small, "
                    + "text or vision");
        };
    }

    ThroughputShape {
        dims = dims.clone();
        if (dims.length < 2 || Arrays.stream(dims).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("--dims: need at least two widths >= 1, got " + Arrays.toString(dims));
        }
        if (latents < 1 || k < 1 || k > latents) {
            throw new IllegalArgumentException("--latents/-k: need 1 <= k <= latents, got k = " + k + ", latents = " + latents);
        }
        if (rows < 2) {
            throw new IllegalArgumentException("--rows: need at least 2 rows per step, got " + rows);
        }
    }

    /**
     * @param dims    widths, or null to keep.
     * @param latents m, or a value < 0 to keep.
     * @param k       k, or a value < 0 to keep.
     * @param rows    rows per step, or a value < 0 to keep.
     * @return this shape with the given sizes; named "custom" when anything changed.
     */
    ThroughputShape with(List<String> dims, int latents, int k, int rows) {
        if (dims == null && latents < 0 && k < 0 && rows < 0) {
            return this;
        }
        int[] d = dims == null ? this.dims : parseDims(dims);
        return new ThroughputShape("custom", d, latents < 0 ? this.latents : latents, k < 0 ? this.k : k,
                rows < 0 ? this.rows : rows);
    }

    private static int[] parseDims(List<String> dims) {
        int[] out = new int[dims.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Integer.parseInt(dims.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--dims: '" + dims.get(i) + "' is not a width (e.g. --dims 64,96,128)");
            }
        }
        return out;
    }

    /** @return total width, the floats in one row of all models. */
    long totalWidth() {
        return Arrays.stream(dims).asLongStream().sum();
    }

    /** @return e.g. "widths [768, 384, 768], m = 6144, k = 32, 6272 rows per step". */
    String describe() {
        return "widths " + Arrays.toString(dims) + ", m = " + latents + ", k = " + k + ", " + rows + " rows per step";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThroughputShape s && name.equals(s.name) && Arrays.equals(dims, s.dims)
                && latents == s.latents && k == s.k && rows == s.rows;
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(dims) + 7 * latents + 3 * k + rows;
    }

    @Override
    public String toString() {
        return name + " (" + describe() + ")";
    }
}
