package org.tribuo.usae.onnx.extract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    /** A w x h image of one ARGB colour, in the given BufferedImage type. */
    static void write(Path f, int type, int w, int h, int argb) throws IOException {
        BufferedImage bi = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, argb);
            }
        }
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    bi.getRaster().setSample(x, y, 0, argb & 0xff); // the stored grey level, exactly
                }
            }
        }
        Files.createDirectories(f.getParent());
        String fmt = f.getFileName().toString().substring(f.getFileName().toString().lastIndexOf('.') + 1);
        assertTrue(ImageIO.write(bi, fmt, f.toFile()), fmt);
    }

    /**
     * {@code cats/b.png} (RGB 10,20,30), {@code cats/a.png} (grey 77), {@code dogs/x/c.png} (RGBA 200,100,50
     * half transparent), {@code dogs/d.bmp} (RGB 1,2,3) and a stray {@code dogs/notes.txt}.
     */
    static Path fixture(Path root) throws IOException {
        write(root.resolve("cats/b.png"), BufferedImage.TYPE_INT_RGB, 5, 4, 0xFF0A141E);
        write(root.resolve("cats/a.png"), BufferedImage.TYPE_BYTE_GRAY, 6, 3, 77);
        write(root.resolve("dogs/x/c.png"), BufferedImage.TYPE_INT_ARGB, 4, 4, 0x80C86432);
        write(root.resolve("dogs/d.bmp"), BufferedImage.TYPE_INT_RGB, 3, 2, 0xFF010203);
        Files.writeString(root.resolve("dogs/notes.txt"), "not an image");
        return root;
    }

    static float[] pixel(Image im, int x, int y) {
        int o = (y * im.w() + x) * 3;
        return new float[]{im.data()[o], im.data()[o + 1], im.data()[o + 2]};
    }

    @Test
    void labelledFolderGivesRgbPixelsSortedFilesAndLabels(@TempDir Path tmp) throws IOException {
        ImageSource.Loaded l = new ImageFolder(fixture(tmp.resolve("imgs")).toString(), 0, 1).load();
        assertEquals(List.of("cats", "dogs"), l.labelNames());
        assertArrayEquals(new long[]{0, 0, 1, 1}, l.labels());
        List<Image> im = l.images();
        assertEquals(4, im.size());
        // cats/a.png, cats/b.png, dogs/d.bmp, dogs/x/c.png
        assertEquals(3, im.get(0).h());
        assertEquals(6, im.get(0).w());
        assertEquals(3, im.get(0).channels());
        assertArrayEquals(new float[]{77, 77, 77}, pixel(im.get(0), 5, 2));
        assertArrayEquals(new float[]{10, 20, 30}, pixel(im.get(1), 4, 3));
        assertEquals(2, im.get(2).h());
        assertArrayEquals(new float[]{1, 2, 3}, pixel(im.get(2), 2, 1));
        assertArrayEquals(new float[]{200, 100, 50}, pixel(im.get(3), 0, 0)); // alpha dropped
    }

    @Test
    void flatFolderHasNoLabels(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("z.jpg"), BufferedImage.TYPE_INT_RGB, 8, 8, 0xFF808080);
        write(tmp.resolve("m.gif"), BufferedImage.TYPE_INT_RGB, 2, 3, 0xFFFF0000);
        ImageSource.Loaded l = new ImageFolder(tmp.toString(), 0, 1).load();
        assertNull(l.labels());
        assertNull(l.labelNames());
        assertEquals(2, l.images().size());
        assertEquals(3, l.images().get(0).h()); // m.gif first
        assertArrayEquals(new float[]{255, 0, 0}, pixel(l.images().get(0), 1, 2));
        float[] grey = pixel(l.images().get(1), 4, 4); // JPEG: lossy, near 128
        for (float v : grey) {
            assertEquals(128, v, 4);
        }
    }

    @Test
    void shuffleTakesEveryImageInASeededRandomOrder(@TempDir Path tmp) throws IOException {
        for (int i = 0; i < 12; i++) {
            write(tmp.resolve((i % 3 == 0 ? "a" : "b") + "/img" + (char) ('a' + i) + ".png"), BufferedImage.TYPE_INT_RGB,
                    2, 2, 0xFF000000 | i);
        }
        List<Integer> inPathOrder = blues(new ImageFolder(tmp.toString(), 0, 42).load());
        List<Integer> shuffled = blues(new ImageFolder(tmp.toString(), 0, 42, ImageFolder.LabelBy.TOP_FOLDER, List.of(),
                null, true).load());
        assertEquals(List.of(0, 3, 6, 9, 1, 2, 4, 5, 7, 8, 10, 11), inPathOrder);
        assertEquals(new java.util.TreeSet<>(inPathOrder), new java.util.TreeSet<>(shuffled), "every image, once");
        assertNotEquals(inPathOrder, shuffled);
        assertEquals(shuffled, blues(new ImageFolder(tmp.toString(), 0, 42, ImageFolder.LabelBy.TOP_FOLDER, List.of(),
                null, true).load()), "the order depends on the seed only");
    }

    /** @return each loaded image's blue value, which the test sets to the image's number. */
    private static List<Integer> blues(ImageSource.Loaded l) {
        List<Integer> v = new ArrayList<>();
        for (var img : l.images()) {
            v.add((int) img.data()[2]);
        }
        return v;
    }

    @Test
    void subsetIsSeededAndDeterministic(@TempDir Path tmp) throws IOException {
        for (int i = 0; i < 12; i++) {
            write(tmp.resolve((i % 3 == 0 ? "a" : "b") + "/img" + i + ".png"), BufferedImage.TYPE_INT_RGB, 2, 2, 0xFF000000 | i);
        }
        ImageSource.Loaded a = new ImageFolder(tmp.toString(), 5, 42).load();
        ImageSource.Loaded b = new ImageFolder(tmp.toString(), 5, 42).load();
        ImageSource.Loaded c = new ImageFolder(tmp.toString(), 5, 7).load();
        assertEquals(5, a.images().size());
        assertArrayEquals(a.labels(), b.labels());
        List<Float> ba = new ArrayList<>();
        List<Float> bb = new ArrayList<>();
        List<Float> bc = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ba.add(a.images().get(i).data()[2]);
            bb.add(b.images().get(i).data()[2]);
            bc.add(c.images().get(i).data()[2]);
            // the label follows its image: blue = i, folder a holds i % 3 == 0
            assertEquals(((int) (float) ba.get(i)) % 3 == 0 ? 0L : 1L, a.labels()[i]);
        }
        assertEquals(ba, bb);
        assertNotEquals(ba, bc);
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(tmp.toString(), 13, 1).load());
        assertTrue(big.getMessage().contains("count 13 exceeds the 12 images"), big.getMessage());
    }

    @Test
    void corruptFileAndEmptyFolderAreNamed(@TempDir Path tmp) throws IOException {
        Path root = fixture(tmp.resolve("imgs"));
        Path bad = root.resolve("dogs/broken.png");
        Files.writeString(bad, "this is not a png");
        ImageSource.Loaded l = new ImageFolder(root.toString(), 0, 1).load();
        assertEquals(5, l.images().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.images().get(2)); // dogs/broken.png
        assertTrue(e.getMessage().contains("cannot read image") && e.getMessage().contains("broken.png"), e.getMessage());

        Path truncated = tmp.resolve("t/a.png");
        write(truncated, BufferedImage.TYPE_INT_RGB, 32, 32, 0xFF123456);
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(truncated));
        assertTrue(t.getMessage().contains(truncated.toString()), t.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(empty.toString(), 0, 1).load());
        assertTrue(none.getMessage().contains("has no images") && none.getMessage().contains("empty"), none.getMessage());
        Files.createDirectories(empty.resolve("cats"));
        IllegalArgumentException emptySub = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(empty.toString(), 0, 1).load());
        assertTrue(emptySub.getMessage().contains("has no images") && emptySub.getMessage().contains("[cats]"), emptySub.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolder(tmp.resolve("nope").toString(), 0, 1).load());
        assertTrue(missing.getMessage().contains("nope") && missing.getMessage().contains("does not exist"), missing.getMessage());
        write(root.resolve("loose.png"), BufferedImage.TYPE_INT_RGB, 2, 2, 0xFF000000);
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> new ImageFolder(root.toString(), 0, 1).load());
        assertTrue(mixed.getMessage().contains("loose.png") && mixed.getMessage().contains("[cats, dogs]"), mixed.getMessage());
    }
}
