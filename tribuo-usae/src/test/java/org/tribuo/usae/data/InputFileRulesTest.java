package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.usae.metrics.labels.InputLabelFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which paths a set reader opens: only regular files (a FIFO would block the open, so it is refused
 * before), and in a plain folder only {@code <model>.npy} files with a visible, non-empty name.
 * Every FIFO test has a timeout: a regression would hang rather than fail.
 */
class InputFileRulesTest {
    private static final String FIFO = " is a named pipe (FIFO), expected a regular .npy file";

    @TempDir
    Path tmp;

    /** A plain folder with models a {@code [3 x 2]} and b {@code [3 x 2]}. */
    private Path plainFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("set"));
        Npy.writeFloat32(dir.resolve("a.npy"), new float[]{1, 2, 3, 4, 5, 6}, 3, 2);
        Npy.writeFloat32(dir.resolve("b.npy"), new float[]{6, 5, 4, 3, 2, 1}, 3, 2);
        return dir;
    }

    /** Makes a named pipe with the system's mkfifo; skips the test where there is none. */
    static void mkfifo(Path path) throws InterruptedException {
        int code;
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            code = p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            code = -1;
        }
        assumeTrue(code == 0 && Files.exists(path), "mkfifo is not available here");
    }

    private static String openFails(Path dir) {
        return assertThrows(ActivationSetException.class, () -> ActivationSets.open(dir).close()).getMessage();
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoIsRefusedBeforeItIsOpenedInBothReadModes() throws Exception {
        Path fifo = tmp.resolve("model0.npy");
        mkfifo(fifo);
        for (NpyReadMode mode : NpyReadMode.values()) {
            ActivationSetException e = assertThrows(ActivationSetException.class,
                    () -> NpyArray.open(fifo, Npy.ACTIVATION_DTYPES, mode));
            assertEquals(fifo + FIFO, e.getMessage(), mode.name());
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoModelInAPlainFolderNamesTheFile() throws Exception {
        Path dir = plainFolder();
        mkfifo(dir.resolve("model0.npy"));
        assertEquals(dir.resolve("model0.npy") + FIFO, openFails(dir));
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoRowIndexAndLabelsAreRefused() throws Exception {
        Path dir = plainFolder();
        mkfifo(dir.resolve(NpyActivationSet.ROW_INDEX_FILE));
        assertEquals(dir.resolve(NpyActivationSet.ROW_INDEX_FILE) + FIFO, openFails(dir));

        Path labels = tmp.resolve("labelled");
        Files.createDirectories(labels);
        mkfifo(labels.resolve(InputLabelFile.LABELS_FILE));
        Files.writeString(labels.resolve(InputLabelFile.NAMES_FILE), "cat\ndog\n");
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> InputLabelFile.read(labels));
        assertEquals(labels.resolve(InputLabelFile.LABELS_FILE) + FIFO, e.getMessage());

        Files.delete(labels.resolve(InputLabelFile.NAMES_FILE));
        mkfifo(labels.resolve(InputLabelFile.NAMES_FILE));
        e = assertThrows(ActivationSetException.class, () -> InputLabelFile.read(labels));
        assertEquals(labels.resolve(InputLabelFile.NAMES_FILE)
                + " is a named pipe (FIFO), expected a regular text file with one label name per line", e.getMessage());
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoShardAndFifoManifestAreRefused() throws Exception {
        Path dir = tmp.resolve("sharded");
        ShardedFixture.write(dir, List.of("m"), new int[]{2}, new long[]{4, 4});
        Path shard = dir.resolve("m/part-00001.npy");
        Files.delete(shard);
        mkfifo(shard);
        assertEquals(shard + FIFO, openFails(dir));

        Path mf = dir.resolve(Manifest.FILE_NAME);
        Files.delete(mf);
        mkfifo(mf);
        assertEquals(mf + " is a named pipe (FIFO), expected a regular JSON file", openFails(dir));
        ActivationSetException e = assertThrows(ActivationSetException.class, () -> ShardedActivationSet.open(dir));
        assertEquals(mf + " is a named pipe (FIFO), expected a regular JSON file", e.getMessage());
    }

    @Test
    void folderNamedLikeAModelIsRefused() throws IOException {
        Path dir = plainFolder();
        Files.createDirectories(dir.resolve("x.npy"));
        assertEquals(dir.resolve("x.npy") + " is a folder, expected a regular .npy file", openFails(dir));
    }

    /** @return the error of opening a plain folder of good models plus one named {@code fileName}. */
    private String refusalOfAModelNamed(String fileName) throws IOException {
        Path dir = plainFolder();
        Npy.writeFloat32(dir.resolve(fileName), new float[]{1, 2, 3, 4, 5, 6}, 3, 2);
        return openFails(dir);
    }

    @Test
    void fileNamedJustDotNpyIsRefusedForItsEmptyName() throws IOException {
        assertEquals(tmp.resolve("set/.npy") + ": the model name (file name before .npy) is empty; expected <model>.npy, "
                + "e.g. dino.npy: rename the file or move it out of the folder", refusalOfAModelNamed(".npy"));
    }

    @Test
    void hiddenNpyFileIsRefusedNotSkipped() throws IOException {
        assertEquals(tmp.resolve("set/.hidden.npy") + ": hidden file (name starts with '.') in the set folder; expected "
                + "<model>.npy with a visible model name: rename the file or move it out of the folder",
                refusalOfAModelNamed(".hidden.npy"));
    }

    @Test
    void modelNameWithABackslashIsRefused() throws IOException {
        assertEquals(tmp.resolve("set/a\\b.npy") + ": model name 'a\\b' is not " + ModelNames.RULE + ": rename the file",
                refusalOfAModelNamed("a\\b.npy"));
    }

    @Test
    void symlinkToARegularFileIsAModel() throws IOException {
        Path dir = plainFolder();
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Npy.writeFloat32(elsewhere.resolve("c.npy"), new float[]{7, 8, 9, 10, 11, 12}, 3, 2);
        try {
            Files.createSymbolicLink(dir.resolve("c.npy"), elsewhere.resolve("c.npy"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
        try (ActivationSet set = ActivationSets.open(dir)) {
            assertEquals(List.of("a", "b", "c"), set.modelNames());
            float[] row = new float[2];
            set.readRows(2, new long[]{1}, row);
            assertEquals(9f, row[0]);
        }
    }
}
