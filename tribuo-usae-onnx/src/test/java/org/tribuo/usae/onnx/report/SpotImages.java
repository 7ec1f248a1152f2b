package org.tribuo.usae.onnx.report;

import com.oracle.labs.mlrg.olcut.config.Config;
import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageSource;

import java.util.List;

/** Test image source: one black 28x28 grey image with a 2x2 white spot whose top-left corner is configured. */
public final class SpotImages implements ImageSource {
    @Config(description = "Spot row.")
    private int spotY = 13;
    @Config(description = "Spot column.")
    private int spotX = 4;

    static Image spot(int h, int w, int y0, int x0) {
        float[] px = new float[h * w];
        for (int y = y0; y < y0 + 2; y++) {
            for (int x = x0; x < x0 + 2; x++) {
                px[y * w + x] = 255;
            }
        }
        return new Image(h, w, 1, px);
    }

    @Override
    public Loaded load() {
        return new Loaded(List.of(spot(28, 28, spotY, spotX)), null, null);
    }

    @Override
    public String describe() {
        return "one 28x28 spot image";
    }
}
