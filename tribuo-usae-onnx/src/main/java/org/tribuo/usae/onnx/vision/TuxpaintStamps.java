package org.tribuo.usae.onnx.vision;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.tribuo.usae.onnx.extract.ImageFolder;
import org.tribuo.usae.onnx.extract.ImageSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Photos with a label hierarchy: the stamps of Debian's {@code tuxpaint-stamps-default} 2022.06.04-1
 * (Tux Paint's clip-art and cut-out photos, mixed free licences, see the package's copyright file), as
 * an {@link ImageSource}. The package (161 MB) is fetched and unpacked into a cache folder by
 * {@link AptCache} (default {@code ~/.cache/tribuo-usae/apt}; its SHA-256 is pinned in {@link #PACKAGE});
 * the stamps are under {@value #STAMPS}.
 *
 * <p>The image set: PNG stamps only (the 248 SVGs are left out: ImageIO cannot draw them), labelled by
 * the path of their folder ({@link ImageFolder.LabelBy#IMAGE_FOLDER}, e.g. {@code animals/mammals/rodents};
 * the folder tree is the label tree, 1 to 3 levels deep, written as {@code label_hierarchy.tsv} by the
 * extraction), transparent pixels composited on {@code alphaBackground} (mid grey by default). Left out
 * ({@link #EXCLUDED}):
 * <ul>
 *   <li>{@code symbols/}: alphabets (ASL hand signs, English/German/Spanish letters), math operators,
 *   chess pieces, music notes, money symbols and coins, smiley faces, shapes and speech balloons: signs
 *   and glyphs, not natural images (247 PNGs);</li>
 *   <li>{@code town/roadsigns/} (road signs with text and pictograms, 21) and {@code town/flags/} (plain
 *   coloured flags, 6): signs again;</li>
 *   <li>every {@code cartoon/} folder at any depth (110 PNGs: drawn clip-art fruit, houses,
 *   insects, trains...): a drawing style, not a kind of object. As labels they would sit under the
 *   photos' folder ({@code food/fruit/cartoon} under {@code food/fruit}), so the finest depth would
 *   reward telling drawings from photos rather than concepts; and flat shading with black outlines is a
 *   different image domain from the cut-out photos the experiment is about.</li>
 * </ul>
 * What stays (412 of the 796 PNGs, in 71 folder labels) is mostly cut-out photos of single objects on transparency: animals,
 * food, plants, vehicles, household objects, clothes, instruments, seasonal decorations, planets.
 */
public final class TuxpaintStamps implements ImageSource {
    /** The pinned package: SHA-256 of {@code tuxpaint-stamps-default_2022.06.04-1_all.deb} (160,880,444 bytes). */
    public static final DebianPackage PACKAGE = new DebianPackage("tuxpaint-stamps-default", "2022.06.04-1", "all",
            "6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34");
    /** Where the stamps are inside the unpacked package. */
    public static final String STAMPS = "usr/share/tuxpaint/stamps";
    /** Folders left out (see the class comment for why), in {@link ImageFolder}'s {@code excludeFolders} syntax. */
    public static final List<String> EXCLUDED = List.of("symbols", "town/roadsigns", "town/flags", ImageFolder.ANY_DEPTH + "cartoon");

    @Config(description = "Cache folder for the .deb and its unpacked tree; empty = ~/.cache/tribuo-usae/apt.")
    private String cacheFolder = "";
    @Config(description = "Images to take, a seeded random subset; 0 = all.")
    private int count = 0;
    @Config(description = "Seed of the subset.")
    private long seed = 42L;
    @Config(description = "RGB 0..255 that transparent pixels are composited on.")
    private List<Integer> alphaBackground = List.of(128, 128, 128);

    /** For OLCUT. */
    private TuxpaintStamps() {
    }

    /**
     * @param cacheFolder     the cache folder, or null for {@link AptCache#defaultFolder()}.
     * @param count           images to take (0 = all).
     * @param seed            subset seed.
     * @param alphaBackground RGB 0..255 transparent pixels are composited on.
     */
    public TuxpaintStamps(Path cacheFolder, int count, long seed, int[] alphaBackground) {
        this.cacheFolder = cacheFolder == null ? "" : cacheFolder.toString();
        this.count = count;
        this.seed = seed;
        this.alphaBackground = java.util.Arrays.stream(alphaBackground).boxed().toList();
        postConfig();
    }

    @Override
    public void postConfig() {
        if (count < 0) {
            throw new PropertyException("", "count", "tuxpaint stamps: count must be >= 0, got " + count);
        }
        try {
            folder(Path.of(".")); // validates alphaBackground the way ImageFolder does
        } catch (PropertyException e) {
            throw new PropertyException("", "alphaBackground", "tuxpaint stamps: " + e.getMessage());
        }
    }

    /** @return the cache folder. */
    public Path cache() {
        return cacheFolder == null || cacheFolder.isBlank() ? AptCache.defaultFolder() : Path.of(cacheFolder);
    }

    /**
     * Fetches and unpacks the package when the cache lacks it.
     *
     * @return the stamps folder.
     * @throws IllegalStateException one line naming what is missing and what to run.
     */
    public Path fetch() {
        Path stamps = AptCache.system(cache()).unpacked(PACKAGE).resolve(STAMPS);
        if (!Files.isDirectory(stamps)) {
            throw new IllegalStateException(PACKAGE.folderName() + " in " + cache() + " has no " + STAMPS
                    + "; delete " + cache().resolve(PACKAGE.folderName()) + " and run again");
        }
        return stamps;
    }

    /**
     * @param stamps the stamps folder ({@link #fetch()}).
     * @return the image folder over it: PNGs labelled by folder path, {@link #EXCLUDED} left out, alpha composited.
     */
    public ImageFolder folder(Path stamps) {
        int[] bg = alphaBackground.stream().mapToInt(v -> v == null ? -1 : v).toArray();
        // shuffled: the extraction then writes whole images in a seeded random order, so the trainer's
        // held-out tail is a random sample of images, not the last folders (vehicles)
        return new ImageFolder(stamps.toString(), count, seed, ImageFolder.LabelBy.IMAGE_FOLDER, EXCLUDED, bg, true);
    }

    @Override
    public Loaded load() {
        return folder(fetch()).load();
    }

    @Override
    public String describe() {
        return "Tux Paint stamps (Debian " + PACKAGE.pin() + ", PNG only) in " + cache() + ", labels = folder paths, leaving out "
                + String.join(", ", EXCLUDED) + " (signs, glyphs and drawn clip-art, not photos), count="
                + (count == 0 ? "all" : count) + ", seed=" + seed + " (images in a seeded random order), transparent pixels on RGB " + alphaBackground;
    }

    @Override
    public String toString() {
        return describe();
    }
}
