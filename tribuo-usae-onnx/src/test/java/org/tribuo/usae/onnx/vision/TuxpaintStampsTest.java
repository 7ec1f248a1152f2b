package org.tribuo.usae.onnx.vision;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.metrics.labels.LabelHierarchy;
import org.tribuo.usae.metrics.labels.LabelHierarchyReader;
import org.tribuo.usae.onnx.extract.Image;
import org.tribuo.usae.onnx.extract.ImageFolder;
import org.tribuo.usae.onnx.extract.ImageSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuxpaintStampsTest {
    @Test
    void configurationIsCheckedAndDescribed(@TempDir Path tmp) {
        TuxpaintStamps s = new TuxpaintStamps(tmp, 10, 3, new int[]{128, 128, 128});
        assertEquals(tmp, s.cache());
        String d = s.describe();
        assertTrue(d.contains("tuxpaint-stamps-default=2022.06.04-1") && d.contains("symbols") && d.contains("**/cartoon"), d);
        PropertyException bg = assertThrows(PropertyException.class, () -> new TuxpaintStamps(tmp, 0, 1, new int[]{1, 2, 300}));
        assertTrue(bg.getMessage().contains("alphaBackground"), bg.getMessage());
        assertThrows(PropertyException.class, () -> new TuxpaintStamps(tmp, -1, 1, new int[]{1, 2, 3}));
        assertEquals(AptCache.defaultFolder(), new TuxpaintStamps(null, 0, 1, new int[]{0, 0, 0}).cache());
    }

    /**
     * The real thing: fetches the 161 MB package into the default cache (or reuses it), then prints the
     * image set. Run with {@code -Dusae.vision.fetch=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "usae.vision.fetch", matches = "true")
    void realFetchUnpacksAndListsThePhotos(@TempDir Path tmp) throws IOException {
        TuxpaintStamps stamps = new TuxpaintStamps(null, 0, 42, new int[]{128, 128, 128});
        long t0 = System.nanoTime();
        Path root = stamps.fetch();
        double sec = (System.nanoTime() - t0) / 1e9;
        Path deb = stamps.cache().resolve(TuxpaintStamps.PACKAGE.debFile());
        System.out.printf("fetch: %s (%.1f s); .deb %s SHA-256 %s%n", root, sec, deb, AptCache.sha256(deb));
        assertTrue(AptCache.complete(stamps.cache().resolve(TuxpaintStamps.PACKAGE.folderName()), TuxpaintStamps.PACKAGE));
        System.out.println("source: " + stamps.describe());
        ImageSource.Loaded l = stamps.load();
        Map<String, Integer> perTop = new TreeMap<>();
        Map<String, Integer> perLabel = new TreeMap<>();
        for (long id : l.labels()) {
            String label = l.labelNames().get((int) id);
            perTop.merge(label.contains("/") ? label.substring(0, label.indexOf('/')) : label, 1, Integer::sum);
            perLabel.merge(label, 1, Integer::sum);
        }
        System.out.println("kept " + l.images().size() + " PNGs in " + l.labelNames().size() + " labels; per top folder " + perTop);
        System.out.println("per label " + perLabel);
        for (String label : l.labelNames()) {
            assertFalse(label.startsWith("symbols") || label.contains("cartoon") || label.equals("town/roadsigns")
                    || label.equals("town/flags"), label);
        }
        // the tree as the extraction writes it, read back as --hierarchy reads it
        StringBuilder tsv = new StringBuilder();
        l.labelParents().forEach((c, p) -> tsv.append(c).append('\t').append(p).append('\n'));
        LabelHierarchy h = LabelHierarchyReader.readTsv(Files.writeString(tmp.resolve("h.tsv"), tsv));
        h.requireCovers(l.labelNames(), "stamps");
        System.out.println("hierarchy max depth " + h.maxDepth() + " (root '" + ImageFolder.ROOT_LABEL + "' is depth 0)");
        // a stamp decodes with alpha on grey: some pixel of the background is exactly 128
        int squirrel = -1;
        for (int i = 0; i < l.images().size() && squirrel < 0; i++) {
            if (l.labelNames().get((int) l.labels()[i]).equals("animals/mammals/rodents")) {
                squirrel = i;
            }
        }
        Image img = l.images().get(squirrel);
        assertEquals(128f, img.data()[0], 0f);
        Image alpha = l.alphas().get(squirrel);
        assertEquals(0f, alpha.data()[0], 0f);
    }
}
