package org.tribuo.usae.onnx.extract;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Your own images from a folder, read with {@link ImageIO} (PNG, JPEG, BMP, GIF; other files and
 * hidden files are skipped).
 *
 * <ul>
 *   <li>Labelled: when the folder has subfolders. With {@link LabelBy#TOP_FOLDER} (the default) each
 *   immediate subfolder is a class and its images are every image file under it (at any depth). With
 *   {@link LabelBy#IMAGE_FOLDER} an image's label is the '/'-separated path of the folder that holds it,
 *   relative to the root (e.g. {@code animals/mammals/rodents}); hidden folders are then skipped. Either
 *   way label id = index of the name in sorted order, and image files directly in the folder are an
 *   error. The names go to {@code label_names.txt} next to the set (see
 *   {@link ImageExtraction#LABEL_NAMES}); with {@code IMAGE_FOLDER} the folder tree also goes to
 *   {@link ImageExtraction#LABEL_HIERARCHY} ({@link ImageSource.Loaded#labelParents()}).</li>
 *   <li>Unlabelled: a flat folder of images; no {@code labels.npy}.</li>
 * </ul>
 *
 * <p>{@code excludeFolders} leaves folders (and everything under them) out: an entry is a folder path
 * relative to the root ({@code symbols}, {@code town/roadsigns}) or {@code **}{@code /name} for every
 * folder called {@code name} at any depth ({@code **}{@code /cartoon}). An entry that matches no folder
 * is an error (a typo would otherwise silently keep the folder).
 *
 * <p>Files are ordered by their path relative to the folder ('/'-separated, sorted by string), so the
 * input ids do not depend on the file system. A subset of {@code count} images is drawn with a seeded
 * shuffle of that order ({@code count = 0} takes all in order). Images are decoded when the extraction
 * reads them (not held in memory), as 3-channel RGB on the 0..255 scale: grey is replicated, palette
 * and 16-bit images are converted. Alpha is dropped (transparent pixels keep whatever colour they
 * store) unless {@code alphaBackground} gives an RGB colour: then every pixel is composited on it,
 * {@code v = a*v + (1 - a)*background} with {@code a = alpha / alphaMax}. The alpha plane itself is
 * available per image ({@link ImageSource.Loaded#alphas()}) for foreground token selection. Images may
 * differ in size; the backbone's {@link ImagePreprocessor} resizes them. An unreadable or corrupt file
 * fails the extraction naming the file.
 */
public final class ImageFolder implements ImageSource {
    /** File extensions read (lower case). */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");
    /** Prefix of an {@code excludeFolders} entry that matches a folder name at any depth. */
    public static final String ANY_DEPTH = "**/";
    /**
     * The parent of the top folders in {@link ImageSource.Loaded#labelParents()} with
     * {@link LabelBy#IMAGE_FOLDER}: the root folder itself ("." cannot be a folder name, so it cannot
     * clash with a label).
     */
    public static final String ROOT_LABEL = ".";

    /** How a labelled folder names its classes. */
    public enum LabelBy {
        /** The immediate subfolder of the root that holds the image (at any depth under it). */
        TOP_FOLDER,
        /** The path of the folder that holds the image, relative to the root, e.g. {@code animals/mammals/rodents}. */
        IMAGE_FOLDER
    }

    @Config(mandatory = true, description = "Folder of images: label subfolders, or flat (no labels).")
    private String folder;
    @Config(description = "Images to take, a seeded random subset; 0 = all.")
    private int count = 0;
    @Config(description = "Seed of the subset.")
    private long seed = 42L;
    @Config(description = "Labels: TOP_FOLDER (the root's subfolder) or IMAGE_FOLDER (path of the folder holding the image).")
    private LabelBy labelBy = LabelBy.TOP_FOLDER;
    @Config(description = "Folders to leave out: paths relative to the root, or **/name for that name at any depth.")
    private List<String> excludeFolders = List.of();
    @Config(description = "RGB 0..255 to composite transparent pixels on, e.g. 128,128,128; empty = drop alpha.")
    private List<Integer> alphaBackground = List.of();
    @Config(description = "Take the images in a seeded random order (seed) even when count = 0, so that a trainer's "
            + "held-out tail is a random set of whole images rather than the last folders.")
    private boolean shuffle = false;

    /** For OLCUT. */
    private ImageFolder() {
    }

    /**
     * @param folder the image folder.
     * @param count  images to take (0 = all).
     * @param seed   subset seed.
     */
    public ImageFolder(String folder, int count, long seed) {
        this(folder, count, seed, LabelBy.TOP_FOLDER, List.of(), null);
    }

    /**
     * @param folder          the image folder.
     * @param count           images to take (0 = all).
     * @param seed            subset seed.
     * @param labelBy         how labels are named.
     * @param excludeFolders  folders to leave out (see the class comment).
     * @param alphaBackground RGB 0..255 to composite on, or null to drop alpha.
     */
    public ImageFolder(String folder, int count, long seed, LabelBy labelBy, List<String> excludeFolders, int[] alphaBackground) {
        this(folder, count, seed, labelBy, excludeFolders, alphaBackground, false);
    }

    /**
     * @param folder          the image folder.
     * @param count           images to take (0 = all).
     * @param seed            subset (and order) seed.
     * @param labelBy         how labels are named.
     * @param excludeFolders  folders to leave out (see the class comment).
     * @param alphaBackground RGB 0..255 to composite on, or null to drop alpha.
     * @param shuffle         take the images in a seeded random order even when count = 0.
     */
    public ImageFolder(String folder, int count, long seed, LabelBy labelBy, List<String> excludeFolders, int[] alphaBackground,
                       boolean shuffle) {
        this.shuffle = shuffle;
        this.folder = folder;
        this.count = count;
        this.seed = seed;
        this.labelBy = labelBy;
        this.excludeFolders = List.copyOf(excludeFolders);
        this.alphaBackground = alphaBackground == null ? List.of() : java.util.Arrays.stream(alphaBackground).boxed().toList();
        postConfig();
    }

    @Override
    public void postConfig() {
        if (count < 0) {
            throw new PropertyException("", "count", "image folder: count must be >= 0, got " + count);
        }
        if (labelBy == null) {
            throw new PropertyException("", "labelBy", "image folder: labelBy must be TOP_FOLDER or IMAGE_FOLDER");
        }
        if (excludeFolders == null) {
            excludeFolders = List.of();
        }
        for (String e : excludeFolders) {
            String p = e == null ? "" : e.startsWith(ANY_DEPTH) ? e.substring(ANY_DEPTH.length()) : e;
            boolean bad = p.isBlank() || p.startsWith("/") || p.endsWith("/") || p.contains("\\") || p.contains("//")
                    || (e.startsWith(ANY_DEPTH) && p.contains("/"));
            for (String seg : p.split("/", -1)) {
                bad |= seg.equals(".") || seg.equals("..") || seg.contains("*");
            }
            if (bad) {
                throw new PropertyException("", "excludeFolders", "image folder: excludeFolders entry '" + e
                        + "' is not a relative folder path (a/b) or **/name");
            }
        }
        if (alphaBackground == null) {
            alphaBackground = List.of();
        }
        if (!alphaBackground.isEmpty()) {
            if (alphaBackground.size() != 3) {
                throw new PropertyException("", "alphaBackground", "image folder: alphaBackground needs 3 values (R,G,B), got "
                        + alphaBackground);
            }
            for (Integer v : alphaBackground) {
                if (v == null || v < 0 || v > 255) {
                    throw new PropertyException("", "alphaBackground", "image folder: alphaBackground values must be 0..255, got "
                            + alphaBackground);
                }
            }
        }
    }

    /** @return the background transparent pixels are composited on, {R, G, B} 0..255, or null when alpha is dropped. */
    public float[] background() {
        return alphaBackground.isEmpty() ? null
                : new float[]{alphaBackground.get(0), alphaBackground.get(1), alphaBackground.get(2)};
    }

    @Override
    public Loaded load() {
        Path root = Path.of(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + " does not exist or is not a folder");
        }
        Exclusions ex = new Exclusions(root, excludeFolders);
        List<Path> subdirs = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> !hidden(p)).forEach(p -> {
                if (Files.isDirectory(p)) {
                    if (!ex.excluded(p)) {
                        subdirs.add(p);
                    }
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
        Map<String, String> parents = Map.of();
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
            if (labelBy == LabelBy.TOP_FOLDER) {
                names = new ArrayList<>();
                for (int label = 0; label < subdirs.size(); label++) {
                    Path d = subdirs.get(label);
                    names.add(checkedLabel(root, d));
                    List<Path> in = walk(root, d, ex, false);
                    files.addAll(in);
                    for (int i = 0; i < in.size(); i++) {
                        ids.add((long) label);
                    }
                }
            } else {
                List<Path> in = new ArrayList<>();
                for (Path d : subdirs) {
                    in.addAll(walk(root, d, ex, true));
                }
                in.sort(Comparator.comparing(p -> rel(root, p)));
                TreeSet<String> folders = new TreeSet<>();
                for (Path p : in) {
                    folders.add(checkedLabel(root, p.getParent()));
                }
                names = new ArrayList<>(folders);
                Map<String, Integer> idOf = new java.util.HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    idOf.put(names.get(i), i);
                }
                for (Path p : in) {
                    files.add(p);
                    ids.add((long) idOf.get(rel(root, p.getParent())));
                }
                parents = folderParents(names);
            }
        }
        ex.requireAllUsed();
        int n = files.size();
        if (n == 0) {
            throw new IllegalArgumentException("image folder " + root + " has no images (" + String.join("/", EXTENSIONS)
                    + (subdirs.isEmpty() ? "" : ", looked in its subfolders " + sortedNames(subdirs)) + ")");
        }
        if (count > n) {
            throw new IllegalArgumentException("image folder: count " + count + " exceeds the " + n + " images in " + root);
        }
        // subsetOrder shuffles whenever it takes a subset; all n of them is a seeded permutation
        int[] order = ImageSource.subsetOrder(n, count == 0 && shuffle ? n : count, seed);
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
        float[] bg = background();
        return new Loaded(new LazyImages(fixed, f -> ImageFiles.read(f, bg)), labels, names, parents, new LazyImages(fixed, ImageFiles::readAlpha));
    }

    /** Decodes files when an element is asked for, never holding the pixels. */
    private static final class LazyImages extends AbstractList<Image> {
        private final List<Path> files;
        private final java.util.function.Function<Path, Image> decode;

        LazyImages(List<Path> files, java.util.function.Function<Path, Image> decode) {
            this.files = files;
            this.decode = decode;
        }

        @Override
        public Image get(int i) {
            return decode.apply(files.get(i));
        }

        @Override
        public int size() {
            return files.size();
        }
    }

    /**
     * The folder tree above some folder labels: each label and each folder above it, child to parent,
     * with the top folders under {@link #ROOT_LABEL}.
     *
     * @param labels '/'-separated folder paths relative to the root.
     * @return child to parent, sorted by child.
     */
    public static Map<String, String> folderParents(List<String> labels) {
        TreeMap<String, String> out = new TreeMap<>();
        for (String l : labels) {
            String child = l;
            while (!out.containsKey(child)) {
                int slash = child.lastIndexOf('/');
                String parent = slash < 0 ? ROOT_LABEL : child.substring(0, slash);
                out.put(child, parent);
                if (slash < 0) {
                    break;
                }
                child = parent;
            }
        }
        return new LinkedHashMap<>(out);
    }

    private static String checkedLabel(Path root, Path dir) {
        String name = rel(root, dir);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                throw new IllegalArgumentException("image folder: folder '" + name.replace("\t", "\\t").replace("\n", "\\n")
                        .replace("\r", "\\r") + "' has a tab or line break in its name, which label_names.txt cannot hold");
            }
        }
        return name;
    }

    /** Image files under {@code dir}, sorted by relative path, leaving out excluded (and, when asked, hidden) folders. */
    private static List<Path> walk(Path root, Path dir, Exclusions ex, boolean skipHiddenFolders) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(dir) && (ex.excluded(d) || (skipHiddenFolders && hidden(d)))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && isImage(f) && !hidden(f)) {
                        out.add(f);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(Comparator.comparing(p -> rel(root, p)));
        return out;
    }

    /** The {@code excludeFolders} entries, remembering which matched. */
    private static final class Exclusions {
        private final Path root;
        private final Set<String> paths = new LinkedHashSet<>();
        private final Set<String> anyDepth = new LinkedHashSet<>();
        private final Set<String> used = new java.util.HashSet<>();

        Exclusions(Path root, List<String> entries) {
            this.root = root;
            for (String e : entries) {
                if (e.startsWith(ANY_DEPTH)) {
                    anyDepth.add(e.substring(ANY_DEPTH.length()));
                } else {
                    paths.add(e);
                }
            }
        }

        boolean excluded(Path dir) {
            String r = rel(root, dir);
            String name = dir.getFileName().toString();
            if (paths.contains(r)) {
                used.add(r);
                return true;
            }
            if (anyDepth.contains(name)) {
                used.add(ANY_DEPTH + name);
                return true;
            }
            return false;
        }

        void requireAllUsed() {
            List<String> unused = new ArrayList<>();
            for (String p : paths) {
                if (!used.contains(p)) {
                    unused.add(p);
                }
            }
            for (String a : anyDepth) {
                if (!used.contains(ANY_DEPTH + a)) {
                    unused.add(ANY_DEPTH + a);
                }
            }
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("image folder " + root + ": excludeFolders " + unused
                        + " match no folder (paths are relative to the folder, '/'-separated)");
            }
        }
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
        return "ImageFolder[folder=" + folder + ", count=" + (count == 0 ? "all" : count) + ", seed=" + seed
                + (shuffle ? ", shuffled" : "")
                + (labelBy == LabelBy.TOP_FOLDER ? "" : ", labelBy=" + labelBy)
                + (excludeFolders.isEmpty() ? "" : ", excluding " + excludeFolders)
                + (alphaBackground.isEmpty() ? "" : ", alpha on " + alphaBackground) + "]";
    }
}
