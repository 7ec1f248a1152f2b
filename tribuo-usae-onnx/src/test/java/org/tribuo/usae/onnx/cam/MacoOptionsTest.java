package org.tribuo.usae.onnx.cam;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.onnx.extract.ImagePreprocessor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacoOptionsTest {

    @Test
    void badSettingsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MacoOptions(0, 1, 8, 8, 0.5, 0.8, 0, 0, 1, 1)).getMessage().contains("steps=0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MacoOptions(1, 1, 8, 8, 0.9, 0.8, 0, 0, 1, 1)).getMessage().contains("0.9, 0.8"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MacoOptions(1, 1, 8, 8, 0.5, 0.8, 0, 0, 0, 1)).getMessage().contains("learningRate=0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new MacoOptions(1, 1, 1, 8, 0.5, 0.8, 0, 0, 1, 1)).getMessage().contains("1x8"));
    }

    @Test
    void macoPresetIsFourTimesTheModelInput() {
        MacoOptions c = MacoOptions.maco(48, 96, 10, 3);
        assertEquals(192, c.imageHeight());
        assertEquals(384, c.imageWidth());
        assertEquals(6, c.crops());
        assertEquals(0.25, c.cropMin());
        assertEquals(0.30, c.cropMax());
    }

    @Test
    void preprocessorNormalisationIsRewrittenForUnitPixels() {
        // Raw pixels 0..255, scale 1/255, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225): on [0, 1] pixels the
        // scale cancels (255 * 1/255 = 1), so the means and stds are unchanged.
        ImagePreprocessor imagenet = new ImagePreprocessor(224, 224).normalize(1 / 255f,
                new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
        PixelNormalization n = PixelNormalization.of(imagenet, 255f);
        assertArrayEquals(new float[]{0.485f, 0.456f, 0.406f}, n.mean(), 1e-6f);
        assertArrayEquals(new float[]{0.229f, 0.224f, 0.225f}, n.std(), 1e-6f);
        // Raw 0..1 pixels with no scale but mean 127.5, std 127.5 (a 0..255 model): value = (p*1*1 - 127.5)/127.5,
        // i.e. mean 127.5 and std 127.5 on the unit scale, so white (p = 1) maps to (1 - 127.5)/127.5.
        ImagePreprocessor raw = new ImagePreprocessor(8, 8).normalize(1f, new float[]{127.5f}, new float[]{127.5f});
        PixelNormalization r = PixelNormalization.of(raw, 1f);
        assertEquals(127.5f, r.mean()[2], 1e-4f);
        assertEquals(127.5f, r.std()[0], 1e-4f);
    }
}
