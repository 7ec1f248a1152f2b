package org.tribuo.usae.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tribuo.usae.data.DType;
import org.tribuo.usae.data.NpyArray;
import org.tribuo.usae.data.NpyReadMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reference activations of the npm-shipped TensorFlow.js vision networks, computed by tfjs itself (pure-JS CPU
 * backend) with {@code tools/tfjs-reference/reference.mjs}, and the means to compare a converted (ONNX, NCHW) network
 * against them.
 *
 * <p>The fixtures (test resources under {@value #RESOURCE_DIR}) hold, per net, tap and input image: the tfjs tap
 * tensor's values at a fixed set of flat NHWC positions, its per-channel means and whole-tensor statistics (float64).
 * The three input images are defined by integer formulas (see {@code fixtures.json}, {@code generator} and
 * {@code images}), rebuilt here bit for bit; their SHA-256 is recorded so a test can prove it.
 *
 * <h2>Tolerance rule</h2>
 * Every comparison is in units of the reference tap's largest magnitude for that image,
 * {@code scale = max(|min|, |max|)} of the whole tfjs tensor (1 if the tensor is all zero): a quantity passes when
 * {@code |actual - expected| <= relTol * scale}. This applies to every sampled element, to the mean, to the root
 * mean square, to the minimum and maximum, and to every channel mean. A relative-to-each-element rule would fail on
 * near-zero values whose error comes from summing large terms; the tap-wide scale measures the error against the
 * size of what was summed. A non-finite output value always fails.
 */
public final class TfjsReferenceFixtures {
    /** Classpath folder of the fixtures. */
    public static final String RESOURCE_DIR = "/tfjs-reference";
    /** The manifest's file name. */
    public static final String MANIFEST = "fixtures.json";

    private final Path dir;
    private final JsonNode manifest;
    private final Map<String, JsonNode> nets = new LinkedHashMap<>();

    private TfjsReferenceFixtures(Path dir, JsonNode manifest) {
        this.dir = dir;
        this.manifest = manifest;
        for (JsonNode n : manifest.get("nets")) {
            nets.put(n.get("net").asText(), n);
        }
    }

    /**
     * Loads the fixtures from the test classpath.
     *
     * @return the fixtures.
     */
    public static TfjsReferenceFixtures load() {
        URL url = TfjsReferenceFixtures.class.getResource(RESOURCE_DIR + "/" + MANIFEST);
        if (url == null) {
            throw new IllegalStateException("no " + RESOURCE_DIR + "/" + MANIFEST + " on the classpath");
        }
        try {
            return load(Path.of(url.toURI()).getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot turn " + url + " into a path", e);
        }
    }

    /**
     * Loads the fixtures from a folder holding {@value #MANIFEST} and the .npy files it names.
     *
     * @param dir the folder.
     * @return the fixtures.
     */
    public static TfjsReferenceFixtures load(Path dir) {
        try {
            return new TfjsReferenceFixtures(dir, new ObjectMapper().readTree(dir.resolve(MANIFEST).toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MANIFEST), e);
        }
    }

    /** @return the parsed manifest, for fields this class has no accessor for (versions, integrities). */
    public JsonNode manifest() {
        return manifest;
    }

    /** @return the net keys, e.g. {@code coco_ssd}, {@code mobilenet_v2}, {@code mobilenet_v2_mid}, {@code inception_v3}. */
    public List<String> nets() {
        return List.copyOf(nets.keySet());
    }

    /**
     * @param net a net key.
     * @return its tap keys (short names such as {@code mixed7} or {@code Conv_1/Relu6}).
     */
    public List<String> taps(String net) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : net(net).get("taps")) {
            out.add(t.get("key").asText());
        }
        return out;
    }

    /**
     * @param net a net key.
     * @param tap a tap key.
     * @return the exact node (graph models) or layer (layers models) name in the tfjs model.
     */
    public String nodeName(String net, String tap) {
        return tap(net, tap).get("node").asText();
    }

    /**
     * @param net a net key.
     * @return the node fed with the image: for COCO-SSD an intermediate node past the graph's resize loop.
     */
    public String inputNode(String net) {
        return net(net).get("input").get("node").asText();
    }

    /**
     * @param net a net key.
     * @return the input's height and width (square inputs).
     */
    public int inputSize(String net) {
        return net(net).get("input").get("shape_nhwc").get(1).asInt();
    }

    /**
     * @param net a net key.
     * @return {@code "u8"} (values 0..255) or {@code "unit"} (byte / 255).
     */
    public String inputScaling(String net) {
        return net(net).get("input").get("scaling").asText();
    }

    /** @return the number of input images. */
    public int imageCount() {
        return manifest.get("images").size();
    }

    /**
     * @param net a net key.
     * @param tap a tap key.
     * @return the tap's shape as tfjs gives it: {@code [1, H, W, C]} or {@code [1, C]}.
     */
    public int[] shapeNhwc(String net, String tap) {
        return ints(tap(net, tap).get("shape_nhwc"));
    }

    /**
     * @param net a net key.
     * @param tap a tap key.
     * @return the tap's shape after conversion: {@code [1, C, H, W]} or {@code [1, C]}.
     */
    public int[] shapeNchw(String net, String tap) {
        int[] s = shapeNhwc(net, tap);
        return s.length == 4 ? new int[]{s[0], s[3], s[1], s[2]} : s.clone();
    }

    // ------------------------------------------------------------------------------------------------ images

    /**
     * Rebuilds input image {@code image} at {@code height x width} as HWC RGB bytes (0..255 stored in bytes), exactly
     * as the generator script does.
     *
     * @param image  image index.
     * @param height height.
     * @param width  width.
     * @return {@code height * width * 3} bytes, unsigned.
     */
    public byte[] imagePixels(int image, int height, int width) {
        JsonNode def = manifest.get("images").get(image);
        if (def == null) {
            throw new IllegalArgumentException("no image " + image + " (there are " + imageCount() + ")");
        }
        byte[] px = new byte[height * width * 3];
        switch (def.get("kind").asText()) {
            case "noise" -> {
                Xorshift32 rng = new Xorshift32((int) def.get("seed").asLong());
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) (rng.next() >>> 24);
                }
            }
            case "pattern" -> {
                int m = (width - 1) * (width - 1) + (height - 1) * (height - 1);
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int dx = 2 * x - (width - 1);
                        int dy = 2 * y - (height - 1);
                        // Non-negative operands, so Java's truncating division is the script's floor.
                        int radial = 255 - 255 * (dx * dx + dy * dy) / m;
                        int check = (x / 16 + y / 16) % 2;
                        int o = (y * width + x) * 3;
                        px[o] = (byte) (255 * x / (width - 1));
                        px[o + 1] = (byte) (255 * y / (height - 1));
                        px[o + 2] = (byte) (3 * radial / 4 + 63 * check);
                    }
                }
            }
            case "block_noise" -> {
                Xorshift32 rng = new Xorshift32((int) def.get("seed").asLong());
                int b = def.get("block").asInt();
                int blockRows = (height + b - 1) / b;
                int blockCols = (width + b - 1) / b;
                for (int by = 0; by < blockRows; by++) {
                    for (int bx = 0; bx < blockCols; bx++) {
                        byte r = (byte) (rng.next() >>> 24);
                        byte g = (byte) (rng.next() >>> 24);
                        byte bl = (byte) (rng.next() >>> 24);
                        for (int y = by * b; y < Math.min(height, (by + 1) * b); y++) {
                            for (int x = bx * b; x < Math.min(width, (bx + 1) * b); x++) {
                                int o = (y * width + x) * 3;
                                px[o] = r;
                                px[o + 1] = g;
                                px[o + 2] = bl;
                            }
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("unknown image kind " + def.get("kind"));
        }
        return px;
    }

    /**
     * The network input for one image, NHWC {@code [1, S, S, 3]} at the net's size and scaling.
     *
     * @param net   a net key.
     * @param image image index.
     * @return {@code S * S * 3} floats.
     */
    public float[] inputNhwc(String net, int image) {
        int s = inputSize(net);
        boolean unit = switch (inputScaling(net)) {
            case "unit" -> true;
            case "u8" -> false;
            default -> throw new IllegalStateException(net + ": unknown input scaling " + inputScaling(net));
        };
        byte[] px = imagePixels(image, s, s);
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            int v = px[i] & 0xFF;
            // One correctly rounded float division, as JavaScript's double quotient stored into a Float32Array.
            f[i] = unit ? v / 255f : v;
        }
        return f;
    }

    /**
     * The same input as {@link #inputNhwc} transposed to NCHW {@code [1, 3, S, S]}.
     *
     * @param net   a net key.
     * @param image image index.
     * @return {@code 3 * S * S} floats.
     */
    public float[] inputNchw(String net, int image) {
        int s = inputSize(net);
        float[] nhwc = inputNhwc(net, image);
        float[] nchw = new float[nhwc.length];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                for (int c = 0; c < 3; c++) {
                    nchw[(c * s + y) * s + x] = nhwc[(y * s + x) * 3 + c];
                }
            }
        }
        return nchw;
    }

    /**
     * @param net   a net key.
     * @param image image index.
     * @return the script's SHA-256 of the HWC bytes of this image at the net's size.
     */
    public String expectedImageSha256(String net, int image) {
        return net(net).get("inputs").get(image).get("image_sha256").asText();
    }

    /**
     * @param net   a net key.
     * @param image image index.
     * @return the script's SHA-256 of the float32 little-endian NHWC input tensor.
     */
    public String expectedInputSha256(String net, int image) {
        return net(net).get("inputs").get(image).get("input_sha256").asText();
    }

    /**
     * @param bytes data.
     * @return lowercase hex SHA-256.
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param values floats.
     * @return their little-endian bytes, the layout the script hashes.
     */
    public static byte[] float32LittleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    // ------------------------------------------------------------------------------------------------ reference data

    /**
     * @param net a net key.
     * @param tap a tap key.
     * @return the sampled flat NHWC positions (the same for every image).
     */
    public long[] sampledPositions(String net, String tap) {
        try (NpyArray a = open(net, tap, "indices", DType.INT64)) {
            long[] out = new long[a.cols()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.getLong(0, i);
            }
            return out;
        }
    }

    /**
     * @param net   a net key.
     * @param tap   a tap key.
     * @param image image index.
     * @return tfjs's values at {@link #sampledPositions}.
     */
    public float[] sampledValues(String net, String tap, int image) {
        return row(net, tap, "values", image);
    }

    /**
     * @param net   a net key.
     * @param tap   a tap key.
     * @param image image index.
     * @return tfjs's per-channel means (float64 accumulation, stored as float32).
     */
    public float[] channelMeans(String net, String tap, int image) {
        return row(net, tap, "channel_means", image);
    }

    /**
     * @param net   a net key.
     * @param tap   a tap key.
     * @param image image index.
     * @return tfjs's whole-tensor statistics.
     */
    public TensorStatistics statistics(String net, String tap, int image) {
        JsonNode s = tap(net, tap).get("stats").get(image);
        return new TensorStatistics(s.get("count").asLong(), s.get("sum").asDouble(), s.get("sum_sq").asDouble(),
                s.get("min").asDouble(), s.get("max").asDouble());
    }

    /**
     * The regenerated sample positions of a tensor of {@code total} elements (see {@code generator.sample_positions}).
     *
     * @param total   elements in the tensor.
     * @param samples samples wanted.
     * @param seed    xorshift32 seed.
     * @return flat positions.
     */
    static long[] samplePositions(long total, int samples, int seed) {
        if (total <= samples) {
            long[] all = new long[(int) total];
            Arrays.setAll(all, i -> i);
            return all;
        }
        Xorshift32 rng = new Xorshift32(seed);
        long[] out = new long[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = Integer.toUnsignedLong(rng.next()) % total;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ comparison

    /**
     * Compares a converted network's tap output (one image, NCHW) with tfjs: the sampled elements and the whole-tensor
     * statistics, under the tolerance rule in the class comment.
     *
     * @param net         a net key.
     * @param tap         a tap key.
     * @param image       image index.
     * @param nchwOutput  the output, C-ordered NCHW ({@code [1, C, H, W]}; {@code [1, C]} for vector taps).
     * @param nchwShape   its shape; a missing leading batch dimension of 1 is accepted.
     * @param relTol      tolerance, a fraction of the tap's largest reference magnitude.
     * @return the comparison, when it passed.
     * @throws AssertionError naming the worst differences when it did not.
     */
    public Comparison check(String net, String tap, int image, float[] nchwOutput, int[] nchwShape, double relTol) {
        Comparison c = compare(net, tap, image, nchwOutput, nchwShape, relTol);
        if (!c.passed()) {
            throw new AssertionError(c.describe());
        }
        return c;
    }

    /**
     * Like {@link #check} but returns a failed comparison instead of throwing.
     *
     * @param net        a net key.
     * @param tap        a tap key.
     * @param image      image index.
     * @param nchwOutput the output, C-ordered NCHW.
     * @param nchwShape  its shape.
     * @param relTol     tolerance, a fraction of the tap's largest reference magnitude.
     * @return the comparison.
     */
    public Comparison compare(String net, String tap, int image, float[] nchwOutput, int[] nchwShape, double relTol) {
        int[] nhwc = shapeNhwc(net, tap);
        int[] expectedShape = shapeNchw(net, tap);
        if (!Arrays.equals(withoutLeadingOnes(nchwShape), withoutLeadingOnes(expectedShape))) {
            throw new IllegalArgumentException(net + "/" + tap + ": output shape " + Arrays.toString(nchwShape)
                    + ", expected NCHW " + Arrays.toString(expectedShape) + " (tfjs NHWC " + Arrays.toString(nhwc) + ")");
        }
        if (nchwOutput.length != product(expectedShape)) {
            throw new IllegalArgumentException(net + "/" + tap + ": " + nchwOutput.length + " values for shape "
                    + Arrays.toString(nchwShape));
        }
        TensorStatistics ref = statistics(net, tap, image);
        double scale = ref.maxAbs() > 0 ? ref.maxAbs() : 1.0;
        double limit = relTol * scale;
        List<String> failures = new ArrayList<>();

        long[] positions = sampledPositions(net, tap);
        float[] expected = sampledValues(net, tap, image);
        double worstSample = 0;
        for (int i = 0; i < positions.length; i++) {
            int at = nchwIndex(positions[i], nhwc);
            double diff = Math.abs((double) nchwOutput[at] - expected[i]);
            if (!Double.isFinite(nchwOutput[at])) {
                diff = Double.POSITIVE_INFINITY;
            }
            worstSample = Math.max(worstSample, diff);
            if (!(diff <= limit) && failures.size() < 10) {
                failures.add(String.format(Locale.ROOT, "NHWC %s (NCHW flat %d): %s vs tfjs %s",
                        Arrays.toString(unflatten(positions[i], nhwc)), at, nchwOutput[at], expected[i]));
            }
        }

        int channels = nhwc[nhwc.length - 1];
        int spatial = nchwOutput.length / channels;
        double[] channelSums = new double[channels];
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean finite = true;
        for (int i = 0; i < nchwOutput.length; i++) {
            double v = nchwOutput[i];
            finite &= Double.isFinite(v);
            sum += v;
            sumSq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            channelSums[i / spatial] += v;
        }
        TensorStatistics actual = new TensorStatistics(nchwOutput.length, sum, sumSq, min, max);
        if (!finite) {
            failures.add("output holds non-finite values");
        }
        double worstStatistic = 0;
        double[][] stats = {
                {actual.mean(), ref.mean()}, {actual.rms(), ref.rms()}, {actual.min(), ref.min()}, {actual.max(), ref.max()}};
        String[] statNames = {"mean", "rms", "min", "max"};
        for (int k = 0; k < stats.length; k++) {
            double diff = Math.abs(stats[k][0] - stats[k][1]);
            worstStatistic = Math.max(worstStatistic, diff);
            if (!(diff <= limit)) {
                failures.add(String.format(Locale.ROOT, "%s %s vs tfjs %s", statNames[k], stats[k][0], stats[k][1]));
            }
        }
        float[] refMeans = channelMeans(net, tap, image);
        int badChannels = 0;
        for (int c = 0; c < channels; c++) {
            double mean = channelSums[c] / spatial;
            double diff = Math.abs(mean - refMeans[c]);
            worstStatistic = Math.max(worstStatistic, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
            if (!(diff <= limit) && badChannels++ < 5) {
                failures.add(String.format(Locale.ROOT, "channel %d mean %s vs tfjs %s", c, mean, refMeans[c]));
            }
        }
        return new Comparison(net, tap, image, relTol, scale, positions.length, worstSample, worstStatistic, failures);
    }

    /**
     * Maps a flat NHWC position to the flat NCHW position of the same element (rank-2 taps are unchanged).
     *
     * @param nhwcFlat flat position in the NHWC tensor.
     * @param nhwc     the NHWC shape, rank 2 or 4.
     * @return flat position in the NCHW tensor.
     */
    static int nchwIndex(long nhwcFlat, int[] nhwc) {
        if (nhwc.length == 2) {
            return Math.toIntExact(nhwcFlat);
        }
        long[] p = unflatten(nhwcFlat, nhwc);
        int h = nhwc[1];
        int w = nhwc[2];
        int c = nhwc[3];
        return Math.toIntExact(((p[0] * c + p[3]) * h + p[1]) * w + p[2]);
    }

    private static long[] unflatten(long flat, int[] shape) {
        long[] p = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            p[d] = flat % shape[d];
            flat /= shape[d];
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------------ results

    /**
     * Whole-tensor statistics.
     *
     * @param count elements.
     * @param sum   sum (float64).
     * @param sumSq sum of squares (float64).
     * @param min   minimum.
     * @param max   maximum.
     */
    public record TensorStatistics(long count, double sum, double sumSq, double min, double max) {
        /** @return the mean. */
        public double mean() {
            return sum / count;
        }

        /** @return the root mean square. */
        public double rms() {
            return Math.sqrt(sumSq / count);
        }

        /** @return the largest magnitude, the comparison's scale. */
        public double maxAbs() {
            return Math.max(Math.abs(min), Math.abs(max));
        }
    }

    /**
     * The outcome of comparing one tap output with tfjs.
     *
     * @param net            net key.
     * @param tap            tap key.
     * @param image          image index.
     * @param relTol         the tolerance, a fraction of {@code scale}.
     * @param scale          the reference tap's largest magnitude.
     * @param samples        sampled elements compared.
     * @param worstSample    largest absolute difference over the sampled elements.
     * @param worstStatistic largest absolute difference over mean, rms, min, max and channel means.
     * @param failures       what exceeded {@code relTol * scale} (the first few of each kind); empty when it passed.
     */
    public record Comparison(String net, String tap, int image, double relTol, double scale, int samples,
                             double worstSample, double worstStatistic, List<String> failures) {
        /** @return whether everything was within tolerance. */
        public boolean passed() {
            return failures.isEmpty();
        }

        /** @return the worst difference relative to {@code scale}. */
        public double worstRelative() {
            return Math.max(worstSample, worstStatistic) / scale;
        }

        /** @return a one-paragraph account, listing the failures. */
        public String describe() {
            return String.format(Locale.ROOT, "%s/%s image %d: %s (tolerance %.3g x scale %.6g; worst sample diff %.3g, "
                            + "worst statistic diff %.3g over %d samples)%s", net, tap, image, passed() ? "matches tfjs" : "differs from tfjs",
                    relTol, scale, worstSample, worstStatistic, samples, failures.isEmpty() ? "" : ":\n  " + String.join("\n  ", failures));
        }
    }

    /** Marsaglia's xorshift32 with shifts 13, 17, 5, as documented in fixtures.json. */
    static final class Xorshift32 {
        private int state;

        Xorshift32(int seed) {
            if (seed == 0) {
                throw new IllegalArgumentException("xorshift32 seed must be non-zero");
            }
            state = seed;
        }

        /** @return the next state, an unsigned 32-bit value held in an int. */
        int next() {
            state ^= state << 13;
            state ^= state >>> 17;
            state ^= state << 5;
            return state;
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private JsonNode net(String net) {
        JsonNode n = nets.get(net);
        if (n == null) {
            throw new IllegalArgumentException("no net '" + net + "' in the tfjs fixtures; known: " + nets.keySet());
        }
        return n;
    }

    private JsonNode tap(String net, String tap) {
        for (JsonNode t : net(net).get("taps")) {
            if (t.get("key").asText().equals(tap)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tap '" + tap + "' for " + net + "; known: " + taps(net));
    }

    private NpyArray open(String net, String tap, String kind, DType dtype) {
        return NpyArray.open(dir.resolve(tap(net, tap).get("files").get(kind).asText()), Set.of(dtype), NpyReadMode.PREAD);
    }

    private float[] row(String net, String tap, String kind, int image) {
        try (NpyArray a = open(net, tap, kind, DType.FLOAT32)) {
            float[] out = new float[a.cols()];
            a.readRow(image, out, 0);
            return out;
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static int[] withoutLeadingOnes(int[] shape) {
        int i = 0;
        while (i < shape.length - 1 && shape[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(shape, i, shape.length);
    }

    private static long product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }
}
