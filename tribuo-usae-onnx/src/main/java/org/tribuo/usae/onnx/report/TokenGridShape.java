package org.tribuo.usae.onnx.report;

import org.tribuo.usae.onnx.extract.ImageBackboneSpec;
import org.tribuo.usae.onnx.extract.ImagePreprocessor;
import org.tribuo.usae.onnx.extract.TokenPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code h x w} grid an image backbone's tokens form, worked out from its extraction settings,
 * because the activation set only stores token positions {@code p = y*w + x}, not the grid shape.
 */
public final class TokenGridShape {
    private TokenGridShape() {
    }

    /**
     * Rules, in order: a grid resize in the token policy gives its target; a TOKENS layout gives its
     * explicit grid, a square when {@code squareGrid} is set, else one row of all tokens; a conv map
     * (NCHW/NHWC) without a resize gives the one factorisation {@code h * w = tokens} whose
     * {@code h : w} equals the canvas's {@code height : width} (a 224x224 canvas and 49 tokens: 7x7).
     *
     * @param backbone       the backbone whose tokens are drawn (the extraction's first).
     * @param tokensPerInput token positions per input in the activation set.
     * @return {h, w} with {@code h * w = tokensPerInput}.
     * @throws IllegalArgumentException naming the backbone when the settings do not fit the token count
     * or leave the shape open (then the caller must be told the grid).
     */
    public static int[] of(ImageBackboneSpec backbone, int tokensPerInput) {
        if (tokensPerInput <= 0) {
            throw new IllegalArgumentException("tokens per input must be positive, got " + tokensPerInput);
        }
        TokenPolicy policy = backbone.policy();
        int[] g;
        if (policy.resizeH() > 0) {
            g = new int[]{policy.resizeH(), policy.resizeW()};
        } else if (policy.layout() == TokenPolicy.Layout.TOKENS) {
            int s = (int) Math.round(Math.sqrt(tokensPerInput));
            g = policy.gridH() > 0 ? new int[]{policy.gridH(), policy.gridW()}
                    : policy.squareGrid() ? new int[]{s, s} : new int[]{1, tokensPerInput};
        } else {
            g = sameAspect(backbone, tokensPerInput);
        }
        if ((long) g[0] * g[1] != tokensPerInput) {
            throw new IllegalArgumentException("backbone '" + backbone.name() + "' (" + policy + ") gives a " + g[0] + "x"
                    + g[1] + " token grid but the activation set has " + tokensPerInput
                    + " tokens per input: is this the extraction config that wrote the set?");
        }
        return g;
    }

    private static int[] sameAspect(ImageBackboneSpec backbone, int tokens) {
        ImagePreprocessor pre = backbone.preprocessor();
        List<int[]> fits = new ArrayList<>();
        for (int h = 1; h <= tokens; h++) {
            int w = tokens / h;
            if (h * w == tokens && (long) h * pre.width() == (long) w * pre.height()) {
                fits.add(new int[]{h, w});
            }
        }
        if (fits.size() != 1) {
            throw new IllegalArgumentException("backbone '" + backbone.name() + "': cannot tell the grid shape of its "
                    + tokens + " tokens per input from its " + pre.height() + "x" + pre.width()
                    + " canvas (no grid resize in its token policy); give the grid as HxW");
        }
        return fits.get(0);
    }
}
