package org.tribuo.usae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheWholeFileAndLeavesNoTempFile() throws IOException {
        Path f = dir.resolve("sub/report.html");
        AtomicFiles.writeString(f, "first version, longer than the second");
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        try (Stream<Path> files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "only the target remains");
        }
    }

    @Test
    void outputIsReadableByOthersLikeAnOrdinaryFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("model.json");
        AtomicFiles.writeString(f, "{}");
        // createTempFile alone would leave rw------- (owner only)
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void failureNamesTheTargetAndCleansUp() throws IOException {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        Path target = notADir.resolve("out.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(target, "y"));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("x", Files.readString(notADir));
    }
}
