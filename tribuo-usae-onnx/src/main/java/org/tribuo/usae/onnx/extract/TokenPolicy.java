package org.tribuo.usae.onnx.extract;

import java.util.Arrays;

/**
 * Turns one tapped tensor into a batch of channels-last token grids: drop special leading/trailing
 * tokens (CLS, register tokens, [SEP]), lay the rest out as an {@code h x w} grid, optionally resize
 * the grid (antialiased bilinear, {@link GridResampler}).
 *
 * <p>Layouts:
 * <ul>
 *   <li>{@link Layout#TOKENS} {@code [B, T, C]} (transformers): the first {@code dropLeading} and last
 *   {@code dropTrailing} tokens are removed; the {@code T'} that remain form a {@code 1 x T'} row by
 *   default, an explicit {@code grid(h, w)} with {@code h*w = T'}, or a square when
 *   {@code squareGrid()} is set and {@code T'} is a perfect square.</li>
 *   <li>{@link Layout#NCHW} {@code [B, C, H, W]} (conv maps): transposed to {@code [B, H, W, C]}.</li>
 *   <li>{@link Layout#NHWC} {@code [B, H, W, C]}: used as is.</li>
 * </ul>
 * For grid layouts {@code dropLeading/dropTrailing} must be 0. Immutable; use {@link #builder}.
 */
public final class TokenPolicy {
    /** Axis order of the tapped tensor. */
    public enum Layout {
        /** {@code [B, T, C]}. */
        TOKENS,
        /** {@code [B, C, H, W]}. */
        NCHW,
        /** {@code [B, H, W, C]}. */
        NHWC
    }

    private final Layout layout;
    private final int dropLeading;
    private final int dropTrailing;
    private final int gridH;
    private final int gridW;
    private final boolean square;
    private final int resizeH;
    private final int resizeW;

    private TokenPolicy(Builder b) {
        this.layout = b.layout;
        this.dropLeading = b.dropLeading;
        this.dropTrailing = b.dropTrailing;
        this.gridH = b.gridH;
        this.gridW = b.gridW;
        this.square = b.square;
        this.resizeH = b.resizeH;
        this.resizeW = b.resizeW;
        if (layout != Layout.TOKENS && (dropLeading != 0 || dropTrailing != 0 || gridH != 0 || square)) {
            throw new IllegalArgumentException("token policy: drop/grid/square apply only to the TOKENS layout, not " + layout);
        }
    }

    /** @param layout the axis order of the tapped tensor. @return a builder. */
    public static Builder builder(Layout layout) {
        return new Builder(layout);
    }

    /** @return the policy that keeps a {@code [B, T, C]} tensor as a {@code 1 x T} row. */
    public static TokenPolicy tokens() {
        return builder(Layout.TOKENS).build();
    }

    /** @return the layout. */
    public Layout layout() {
        return layout;
    }

    /** @return leading tokens dropped. */
    public int dropLeading() {
        return dropLeading;
    }

    /** @return trailing tokens dropped. */
    public int dropTrailing() {
        return dropTrailing;
    }

    /** @return the explicit TOKENS grid rows, 0 for none. */
    public int gridH() {
        return gridH;
    }

    /** @return the explicit TOKENS grid columns, 0 for none. */
    public int gridW() {
        return gridW;
    }

    /** @return true when TOKENS are laid out as a square grid. */
    public boolean squareGrid() {
        return square;
    }

    /** @return the resize target rows, 0 for none. */
    public int resizeH() {
        return resizeH;
    }

    /** @return the resize target columns, 0 for none. */
    public int resizeW() {
        return resizeW;
    }

    /**
     * Applies the policy.
     *
     * @param a the tapped tensor.
     * @return the grids.
     * @throws IllegalArgumentException naming the tensor when its rank or sizes do not fit.
     */
    public TokenGrid apply(Activation a) {
        TokenGrid g = switch (layout) {
            case TOKENS -> tokens(a);
            case NCHW -> nchw(a);
            case NHWC -> {
                requireRank(a, 4, "[B, H, W, C]");
                yield new TokenGrid(a.dim(0), a.dim(1), a.dim(2), a.dim(3), a.data());
            }
        };
        if (resizeH > 0) {
            g = GridResampler.resize(g, resizeH, resizeW);
        }
        return g;
    }

    private TokenGrid tokens(Activation a) {
        requireRank(a, 3, "[B, T, C]");
        int b = a.dim(0), t = a.dim(1), c = a.dim(2);
        int keep = t - dropLeading - dropTrailing;
        if (keep <= 0) {
            throw new IllegalArgumentException("tap '" + a.name() + "' " + Arrays.toString(a.shape()) + ": " + t
                    + " tokens, cannot drop " + dropLeading + " leading and " + dropTrailing + " trailing");
        }
        int h = 1, w = keep;
        if (gridH > 0) {
            if (gridH * gridW != keep) {
                throw new IllegalArgumentException("tap '" + a.name() + "' " + Arrays.toString(a.shape()) + ": " + keep
                        + " tokens after dropping " + dropLeading + "+" + dropTrailing + " do not fill a " + gridH + "x" + gridW + " grid");
            }
            h = gridH;
            w = gridW;
        } else if (square) {
            int s = (int) Math.round(Math.sqrt(keep));
            if (s * s != keep) {
                throw new IllegalArgumentException("tap '" + a.name() + "' " + Arrays.toString(a.shape()) + ": " + keep
                        + " tokens after dropping " + dropLeading + "+" + dropTrailing + " is not a square grid");
            }
            h = s;
            w = s;
        }
        float[] src = a.data();
        if (keep == t) {
            return new TokenGrid(b, h, w, c, src);
        }
        float[] out = new float[b * keep * c];
        for (int n = 0; n < b; n++) {
            System.arraycopy(src, (n * t + dropLeading) * c, out, n * keep * c, keep * c);
        }
        return new TokenGrid(b, h, w, c, out);
    }

    private static TokenGrid nchw(Activation a) {
        requireRank(a, 4, "[B, C, H, W]");
        int b = a.dim(0), c = a.dim(1), h = a.dim(2), w = a.dim(3);
        float[] src = a.data();
        float[] out = new float[src.length];
        int hw = h * w;
        for (int n = 0; n < b; n++) {
            int sb = n * c * hw;
            for (int ch = 0; ch < c; ch++) {
                int s = sb + ch * hw;
                for (int p = 0; p < hw; p++) {
                    out[(sb + p * c) + ch] = src[s + p];
                }
            }
        }
        return new TokenGrid(b, h, w, c, out);
    }

    private static void requireRank(Activation a, int rank, String what) {
        if (a.rank() != rank) {
            throw new IllegalArgumentException("tap '" + a.name() + "' has shape " + Arrays.toString(a.shape())
                    + " but the token policy expects " + what);
        }
    }

    @Override
    public String toString() {
        return "TokenPolicy[" + layout + (dropLeading > 0 ? ", dropLeading=" + dropLeading : "")
                + (dropTrailing > 0 ? ", dropTrailing=" + dropTrailing : "")
                + (gridH > 0 ? ", grid=" + gridH + "x" + gridW : square ? ", square" : "")
                + (resizeH > 0 ? ", resize=" + resizeH + "x" + resizeW : "") + "]";
    }

    /** Builder for {@link TokenPolicy}. */
    public static final class Builder {
        private final Layout layout;
        private int dropLeading;
        private int dropTrailing;
        private int gridH;
        private int gridW;
        private boolean square;
        private int resizeH;
        private int resizeW;

        private Builder(Layout layout) {
            this.layout = java.util.Objects.requireNonNull(layout, "layout");
        }

        /** @param n leading tokens to drop (CLS = 1, CLS + 4 registers = 5). @return this. */
        public Builder dropLeading(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("dropLeading must be >= 0, got " + n);
            }
            this.dropLeading = n;
            return this;
        }

        /** @param n trailing tokens to drop. @return this. */
        public Builder dropTrailing(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("dropTrailing must be >= 0, got " + n);
            }
            this.dropTrailing = n;
            return this;
        }

        /** @param h rows. @param w columns. @return this. */
        public Builder grid(int h, int w) {
            if (h <= 0 || w <= 0) {
                throw new IllegalArgumentException("grid must be positive, got " + h + "x" + w);
            }
            this.gridH = h;
            this.gridW = w;
            return this;
        }

        /** @return this, laying the remaining tokens out as a square grid. */
        public Builder squareGrid() {
            this.square = true;
            return this;
        }

        /** @param h rows. @param w columns. @return this, resizing every grid to {@code h x w}. */
        public Builder resize(int h, int w) {
            if (h <= 0 || w <= 0) {
                throw new IllegalArgumentException("resize target must be positive, got " + h + "x" + w);
            }
            this.resizeH = h;
            this.resizeW = w;
            return this;
        }

        /** @return the policy. */
        public TokenPolicy build() {
            return new TokenPolicy(this);
        }
    }
}
