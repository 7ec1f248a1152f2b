package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Your own images from a folder, read with {@link ImageIO} (PNG, JPEG, BMP, GIF; other files and
 * hidden files are skipped).
 *
 * <ul>
 *   <li>Labelled: when the folder has subfolders, each immediate subfolder is a class; label id =
 *   index of the subfolder name in sorted order, and the images are every image file under it (at
 *   any depth). Image files directly in the folder are then an error. The names go to
 *   {@code label_names.txt} next to the set (see {@link ImageExtraction#LABEL_NAMES}).</li>
 *   <li>Unlabelled: a flat folder of images; no {@code labels.npy}.</li>
 * </ul>
 *
 * <p>Files are ordered by their path relative to the folder ('/'-separated, sorted by string), so the
 * input ids do not depend on the file system. A subset of {@code count} images is drawn with a seeded
 * shuffle of that order ({@code count = 0} takes all in order). Images are decoded when the extraction
 * reads them (not held in memory), as 3-channel RGB on the 0..255 scale: grey is replicated, palette
 * and 16-bit images are converted, alpha is dropped (not composited). Images may differ in size; the
 * backbone's {@link ImagePreprocessor} resizes them. An unreadable or corrupt file fails the
 * extraction naming the file.
 */
public final class ImageFolder implements ImageSource {
    /** File extensions read (lower case). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    @Config(mandatory = true, description = "Folder of images: label subfolders, or flat (no labels).")
    private String folder;
    @Config(description = "Images to take, a seeded random subset; 0 = all.")
    private int count = 0;
    @Config(description = "Seed of the subset.")
    private long seed = 42L;

    /** For OLCUT. */
    private ImageFolder() {
    }

    /**
     * @param folder the image folder.
     * @param count  images to take (0 = all).
     * @param seed   subset seed.
     */
    public ImageFolder(String folder, int count, long seed) {
        this.folder = folder;
        this.count = count;
        this.seed = seed;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (count < 0) {
            throw new PropertyException("", "count", "image folder: count must be >= 0, got " + count);
        }
    }

    @Override
    public Loaded load() {
        Path root = Path.of(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + " does not exist or is not a folder");
        }
        List<Path> subdirs = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> !hidden(p)).forEach(p -> {
                if (Files.isDirectory(p)) {
                    subdirs.add(p);
                } else if (isImage(p)) {
                    loose.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list image folder " + root, e);
        }
        List<Path> files = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<String> names = null;
        if (subdirs.isEmpty()) {
            loose.sort(Comparator.comparing(p -> rel(root, p)));
            files.addAll(loose);
        } else {
            if (!loose.isEmpty()) {
                loose.sort(Comparator.comparing(p -> rel(root, p)));
                throw new IllegalArgumentException("image folder " + root + " mixes label subfolders " + sortedNames(subdirs)
                        + " with images directly in it (e.g. " + loose.get(0).getFileName()
                        + "); put every image in a label subfolder, or use a flat folder for no labels");
            }
            subdirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
            names = new ArrayList<>();
            for (int label = 0; label < subdirs.size(); label++) {
                Path d = subdirs.get(label);
                names.add(d.getFileName().toString());
                List<Path> in;
                try (Stream<Path> s = Files.walk(d)) {
                    in = s.filter(p -> Files.isRegularFile(p) && isImage(p) && !hidden(p))
                            .sorted(Comparator.comparing(p -> rel(root, p))).toList();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + d, e);
                }
                files.addAll(in);
                for (int i = 0; i < in.size(); i++) {
                    ids.add((long) label);
                }
            }
        }
        int n = files.size();
        if (n == 0) {
            throw new IllegalArgumentException("image folder " + root + " has no images (" + String.join("/", EXTENSIONS)
                    + (subdirs.isEmpty() ? "" : ", looked in its subfolders " + sortedNames(subdirs)) + ")");
        }
        if (count > n) {
            throw new IllegalArgumentException("image folder: count " + count + " exceeds the " + n + " images in " + root);
        }
        int[] order = ImageSource.subsetOrder(n, count, seed);
        int take = order.length;
        List<Path> chosen = new ArrayList<>(take);
        long[] labels = names == null ? null : new long[take];
        for (int i = 0; i < take; i++) {
            chosen.add(files.get(order[i]));
            if (labels != null) {
                labels[i] = ids.get(order[i]);
            }
        }
        List<Path> fixed = List.copyOf(chosen);
        List<Image> images = new AbstractList<>() {
            @Override
            public Image get(int i) {
                return read(fixed.get(i));
            }

            @Override
            public int size() {
                return fixed.size();
            }
        };
        return new Loaded(images, labels, names);
    }

    /**
     * Reads one image as 3-channel RGB, 0..255.
     *
     * @param f the file.
     * @return the image.
     * @throws IllegalArgumentException naming the file when it cannot be decoded.
     */
    public static Image read(Path f) {
        BufferedImage bi;
        try {
            bi = ImageIO.read(f.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read image " + f + ": " + e.getMessage(), e);
        }
        if (bi == null) {
            throw new IllegalArgumentException("cannot read image " + f + ": not a PNG/JPEG/BMP/GIF image ImageIO can decode");
        }
        int h = bi.getHeight();
        int w = bi.getWidth();
        float[] px = new float[h * w * 3];
        ColorModel cm = bi.getColorModel();
        Raster r = bi.getRaster();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Grey (with or without alpha): the stored level, not getRGB's linear-to-sRGB conversion.
            double max = (1L << cm.getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (float) (r.getSample(x, y, 0) * 255.0 / max);
                    int o = (y * w + x) * 3;
                    px[o] = v;
                    px[o + 1] = v;
                    px[o + 2] = v;
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                bi.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    px[o] = (row[x] >> 16) & 0xff;
                    px[o + 1] = (row[x] >> 8) & 0xff;
                    px[o + 2] = row[x] & 0xff;
                }
            }
        }
        return new Image(h, w, 3, px);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static List<String> sortedNames(List<Path> dirs) {
        return dirs.stream().map(p -> p.getFileName().toString()).sorted().toList();
    }

    /** @return the configured folder. */
    public String folder() {
        return folder;
    }

    @Override
    public String describe() {
        return toString();
    }

    @Override
    public String toString() {
        return "ImageFolder[folder=" + folder + ", count=" + (count == 0 ? "all" : count) + ", seed=" + seed + "]";
    }
}
