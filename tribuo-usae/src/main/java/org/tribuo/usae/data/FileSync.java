package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync helpers for crash-safe commits. */
final class FileSync {
    private FileSync() {
    }

    /**
     * Best-effort fsync of a directory so a rename survives a crash. Linux allows opening a
     * directory for reading and forcing it; other platforms may refuse, which we tolerate.
     */
    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported on this platform; the file itself was already forced.
        }
    }
}
