package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ImagePreprocessorTest {
    @Test
    void greyToThreeChannelsNormalizedNchwAndBgr() {
        // 1x2 grey image 0, 255 -> 3 channels, scale 1/255, mean 0.5, std 0.5 -> -1, 1.
        Image im = new Image(1, 2, 1, new float[]{0f, 255f});
        ImagePreprocessor p = new ImagePreprocessor(1, 2).normalize(1 / 255f, new float[]{0.5f}, new float[]{0.5f});
        assertArrayEquals(new float[]{-1, 1, -1, 1, -1, 1}, p.apply(im), 1e-6f);
        assertArrayEquals(new long[]{4, 3, 1, 2}, p.shape(4));
        // RGB pixel (10, 20, 30): BGR + NHWC gives 30, 20, 10.
        Image rgb = new Image(1, 1, 3, new float[]{10, 20, 30});
        ImagePreprocessor q = new ImagePreprocessor(1, 1).channelOrder(ImagePreprocessor.ChannelOrder.BGR)
                .layout(ImagePreprocessor.TensorLayout.NHWC);
        assertArrayEquals(new float[]{30, 20, 10}, q.apply(rgb));
    }

    @Test
    void resizeInvertAndPadOnCanvas() {
        // 2x2 white-on-black -> inverted -> nearest 2x2 -> centred on a 2x4 canvas of 255.
        Image im = new Image(2, 2, 1, new float[]{255, 0, 0, 255});
        ImagePreprocessor p = new ImagePreprocessor(2, 4).channels(1).invert(255f).resizeTo(2, 2).padValue(255f)
                .interpolation(ImagePreprocessor.Interpolation.NEAREST);
        assertArrayEquals(new float[]{255, 0, 255, 255, 255, 255, 0, 255}, p.apply(im));
        // Nearest 2x upsampling of a 1x2 row repeats each pixel.
        ImagePreprocessor n = new ImagePreprocessor(1, 4).channels(1).interpolation(ImagePreprocessor.Interpolation.NEAREST);
        assertArrayEquals(new float[]{1, 1, 2, 2}, n.apply(new Image(1, 2, 1, new float[]{1, 2})));
        assertEquals(4, n.apply(new Image(3, 3, 1, new float[9])).length);
    }
}
