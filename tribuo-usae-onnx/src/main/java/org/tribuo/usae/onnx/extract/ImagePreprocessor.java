package org.tribuo.usae.onnx.extract;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns {@link Image}s into a backbone's input tensor. Steps, in order:
 * <ol>
 *   <li>grey to 3 channels (replicated) when {@code channels = 3}, or RGB to grey (mean) when 1;</li>
 *   <li>optional inversion {@code v -> invertMax - v} (e.g. MNIST's white-on-black to dark-on-white);</li>
 *   <li>resize to {@code resizeHeight x resizeWidth}: {@code BILINEAR} (antialiased, the same filter as
 *   PyTorch {@code antialias=True} / PIL) or {@code NEAREST} (PyTorch's {@code floor(o*in/out)});</li>
 *   <li>paste, centred, on a {@code height x width} canvas filled with {@code padValue} (skipped when the
 *   resize already gives {@code height x width});</li>
 *   <li>{@code (v * scale - mean[ch]) / std[ch]} per channel, channel order RGB or BGR;</li>
 *   <li>layout NCHW or NHWC.</li>
 * </ol>
 * Configurable with OLCUT; also buildable in code with {@link #ImagePreprocessor(int, int)} and the
 * fluent setters.
 */
public final class ImagePreprocessor implements Configurable {
    /** Resize filter. */
    public enum Interpolation { BILINEAR, NEAREST }

    /** Channel order fed to the model. */
    public enum ChannelOrder { RGB, BGR }

    /** Tensor layout. */
    public enum TensorLayout { NCHW, NHWC }

    @Config(mandatory = true, description = "Model input height (canvas height).")
    private int height;
    @Config(mandatory = true, description = "Model input width (canvas width).")
    private int width;
    @Config(description = "Height the image is resized to before padding onto the canvas (0 = height).")
    private int resizeHeight = 0;
    @Config(description = "Width the image is resized to before padding onto the canvas (0 = width).")
    private int resizeWidth = 0;
    @Config(description = "Canvas fill value, on the input scale (before scale/mean/std).")
    private float padValue = 0f;
    @Config(description = "Resize filter: BILINEAR (antialiased) or NEAREST.")
    private Interpolation interpolation = Interpolation.BILINEAR;
    @Config(description = "Multiply pixel values by this first (1/255 maps 0..255 to 0..1).")
    private float scale = 1f;
    @Config(description = "Per-channel mean subtracted after scaling (1 value = all channels).")
    private List<Float> mean = List.of(0f);
    @Config(description = "Per-channel std divided by after the mean (1 value = all channels).")
    private List<Float> std = List.of(1f);
    @Config(description = "Channel order fed to the model: RGB or BGR.")
    private ChannelOrder channelOrder = ChannelOrder.RGB;
    @Config(description = "Tensor layout: NCHW or NHWC.")
    private TensorLayout layout = TensorLayout.NCHW;
    @Config(description = "Channels the model takes: 3 (grey replicated) or 1 (RGB averaged).")
    private int channels = 3;
    @Config(description = "Invert pixel values as invertMax - v before resizing (0 = no inversion).")
    private float invertMax = 0f;

    /** For OLCUT. */
    private ImagePreprocessor() {
    }

    /**
     * @param height model input height.
     * @param width  model input width.
     */
    public ImagePreprocessor(int height, int width) {
        this.height = height;
        this.width = width;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (height <= 0 || width <= 0) {
            throw new PropertyException("", "height", "image preprocessor: height and width must be positive, got " + height + "x" + width);
        }
        if (resizeHeight < 0 || resizeWidth < 0 || resizeHeight > height || resizeWidth > width) {
            throw new PropertyException("", "resizeHeight", "image preprocessor: resize " + resizeHeight + "x" + resizeWidth
                    + " must fit on the " + height + "x" + width + " canvas");
        }
        if (channels != 1 && channels != 3) {
            throw new PropertyException("", "channels", "image preprocessor: channels must be 1 or 3, got " + channels);
        }
        for (List<Float> l : List.of(mean, std)) {
            if (l.size() != 1 && l.size() != channels) {
                throw new PropertyException("", "mean", "image preprocessor: mean/std need 1 or " + channels + " values, got " + l);
            }
        }
        for (Float s : std) {
            if (s == 0f) {
                throw new PropertyException("", "std", "image preprocessor: std must not be 0");
            }
        }
    }

    /** @param h rows, @param w columns the image is resized to before padding. @return this. */
    public ImagePreprocessor resizeTo(int h, int w) {
        this.resizeHeight = h;
        this.resizeWidth = w;
        postConfig();
        return this;
    }

    /** @param v canvas fill value. @return this. */
    public ImagePreprocessor padValue(float v) {
        this.padValue = v;
        return this;
    }

    /** @param i resize filter. @return this. */
    public ImagePreprocessor interpolation(Interpolation i) {
        this.interpolation = i;
        return this;
    }

    /**
     * @param scale multiplier applied first.
     * @param mean  per-channel (or one) mean.
     * @param std   per-channel (or one) std.
     * @return this.
     */
    public ImagePreprocessor normalize(float scale, float[] mean, float[] std) {
        this.scale = scale;
        this.mean = box(mean);
        this.std = box(std);
        postConfig();
        return this;
    }

    private static List<Float> box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return List.of(b);
    }

    /** @param o channel order. @return this. */
    public ImagePreprocessor channelOrder(ChannelOrder o) {
        this.channelOrder = o;
        return this;
    }

    /** @param l tensor layout. @return this. */
    public ImagePreprocessor layout(TensorLayout l) {
        this.layout = l;
        return this;
    }

    /** @param c 1 or 3. @return this. */
    public ImagePreprocessor channels(int c) {
        this.channels = c;
        postConfig();
        return this;
    }

    /** @param max invert as {@code max - v}; 0 turns inversion off. @return this. */
    public ImagePreprocessor invert(float max) {
        this.invertMax = max;
        return this;
    }

    /** @return the multiplier applied to raw pixel values first. */
    public float scale() {
        return scale;
    }

    /** @param channel a channel in model order. @return the mean subtracted from it (after scaling). */
    public float mean(int channel) {
        int src = channelOrder == ChannelOrder.BGR && channels == 3 ? 2 - channel : channel;
        return mean.size() == 1 ? mean.get(0) : mean.get(src);
    }

    /** @param channel a channel in model order. @return the std it is divided by. */
    public float std(int channel) {
        int src = channelOrder == ChannelOrder.BGR && channels == 3 ? 2 - channel : channel;
        return std.size() == 1 ? std.get(0) : std.get(src);
    }

    /** @return the channel order fed to the model. */
    public ChannelOrder channelOrder() {
        return channelOrder;
    }

    /** @return the tensor layout. */
    public TensorLayout layout() {
        return layout;
    }

    /** @return model input height. */
    public int height() {
        return height;
    }

    /** @return model input width. */
    public int width() {
        return width;
    }

    /** @return channels fed to the model. */
    public int channels() {
        return channels;
    }

    /** @param batch images. @return the tensor shape for that batch. */
    public long[] shape(int batch) {
        return layout == TensorLayout.NCHW ? new long[]{batch, channels, height, width} : new long[]{batch, height, width, channels};
    }

    /**
     * Preprocesses one image.
     *
     * @param img the image.
     * @return {@code channels*height*width} values in this preprocessor's layout.
     */
    public float[] apply(Image img) {
        float[] canvas = canvas(img).data();
        int c = channels;
        // 5-6. normalize, channel order, layout.
        float[] out = new float[height * width * c];
        int hw = height * width;
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                int srcCh = channelOrder == ChannelOrder.BGR && c == 3 ? 2 - ch : ch;
                float m = mean.size() == 1 ? mean.get(0) : mean.get(srcCh);
                float s = std.size() == 1 ? std.get(0) : std.get(srcCh);
                float v = (canvas[p * c + srcCh] * scale - m) / s;
                out[layout == TensorLayout.NCHW ? ch * hw + p : p * c + ch] = v;
            }
        }
        return out;
    }

    /**
     * The geometric part of {@link #apply} (steps 1-4: channels, inversion, resize, canvas), without the
     * scale/mean/std normalisation: the picture the backbone sees, on the input's value scale. The
     * report draws this, because token positions tile this canvas, not the source image.
     *
     * @param img the image.
     * @return the {@code height x width} canvas with {@link #channels()} channels, channels last.
     */
    public Image canvas(Image img) {
        // 1. channels.
        float[] px = img.data();
        int c = img.channels();
        if (c != channels) {
            int n = img.h() * img.w();
            float[] o = new float[n * channels];
            for (int i = 0; i < n; i++) {
                if (channels == 3) {
                    o[3 * i] = o[3 * i + 1] = o[3 * i + 2] = px[i];
                } else {
                    o[i] = (px[3 * i] + px[3 * i + 1] + px[3 * i + 2]) / 3f;
                }
            }
            px = o;
            c = channels;
        } else {
            px = px.clone();
        }
        // 2. invert.
        if (invertMax != 0f) {
            for (int i = 0; i < px.length; i++) {
                px[i] = invertMax - px[i];
            }
        }
        // 3-4. resize, canvas.
        return place(new Image(img.h(), img.w(), c, px), padValue);
    }

    /**
     * Steps 3-4 alone (resize with this preprocessor's filter, paste centred on the canvas) for any
     * plane that must line up with the pixels, e.g. an alpha plane for foreground token selection.
     *
     * @param plane any number of channels, channels last.
     * @param pad   value of the canvas outside the pasted plane.
     * @return {@code height x width} with the plane's channels.
     */
    public Image place(Image plane, float pad) {
        int c = plane.channels();
        int rh = resizeHeight > 0 ? resizeHeight : height;
        int rw = resizeWidth > 0 ? resizeWidth : width;
        TokenGrid g = new TokenGrid(1, plane.h(), plane.w(), c, plane.data().clone());
        g = interpolation == Interpolation.BILINEAR ? GridResampler.resize(g, rh, rw) : nearest(g, rh, rw);
        if (rh == height && rw == width) {
            return new Image(height, width, c, g.data());
        }
        float[] canvas = new float[height * width * c];
        Arrays.fill(canvas, pad);
        int top = (height - rh) / 2, left = (width - rw) / 2;
        for (int y = 0; y < rh; y++) {
            System.arraycopy(g.data(), y * rw * c, canvas, ((top + y) * width + left) * c, rw * c);
        }
        return new Image(height, width, c, canvas);
    }

    /**
     * Where the image lands on the canvas, as fractions of the canvas: {top, left, height, width}
     * (the whole canvas is {0, 0, 1, 1}). Two preprocessors with the same placement put every image
     * point at the same place relative to their canvases, so token cells of a common grid cover the
     * same part of the image.
     *
     * @return {top, left, height, width} in 0..1.
     */
    public double[] placement() {
        int rh = resizeHeight > 0 ? resizeHeight : height;
        int rw = resizeWidth > 0 ? resizeWidth : width;
        return new double[]{(double) ((height - rh) / 2) / height, (double) ((width - rw) / 2) / width,
                (double) rh / height, (double) rw / width};
    }

    private static TokenGrid nearest(TokenGrid g, int oh, int ow) {
        int c = g.c();
        float[] out = new float[oh * ow * c];
        for (int y = 0; y < oh; y++) {
            int sy = Math.min((int) Math.floor(y * (double) g.h() / oh), g.h() - 1);
            for (int x = 0; x < ow; x++) {
                int sx = Math.min((int) Math.floor(x * (double) g.w() / ow), g.w() - 1);
                System.arraycopy(g.data(), (sy * g.w() + sx) * c, out, (y * ow + x) * c, c);
            }
        }
        return new TokenGrid(1, oh, ow, c, out);
    }

    /**
     * Preprocesses a batch into a new ORT tensor (the caller closes it).
     *
     * @param env    the ORT environment.
     * @param images the batch.
     * @return the tensor, shape {@link #shape(int)}.
     */
    public OnnxTensor tensor(OrtEnvironment env, List<Image> images) {
        int per = channels * height * width;
        FloatBuffer fb = ByteBuffer.allocateDirect(images.size() * per * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (Image im : images) {
            fb.put(apply(im));
        }
        fb.rewind();
        try {
            return OnnxTensor.createTensor(env, fb, shape(images.size()));
        } catch (OrtException e) {
            throw new BackboneException("image preprocessor: cannot create the input tensor (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "ImagePreprocessor[" + height + "x" + width + (resizeHeight > 0 ? ", resize " + resizeHeight + "x" + resizeWidth + " pad " + padValue : "")
                + ", " + interpolation + ", scale=" + scale + ", mean=" + mean + ", std=" + std + ", " + channelOrder + ", " + layout
                + ", channels=" + channels + (invertMax != 0 ? ", invert " + invertMax : "") + "]";
    }
}
