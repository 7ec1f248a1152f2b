package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks of the paths a command writes to, made before any work: outputs are regular files in
 * folders the process can create files in, and a write never replaces anything that is not a
 * regular file (a device such as {@code /dev/null}, a named pipe, a socket, a folder, or a symbolic
 * link, which would otherwise be replaced by the atomic rename or written through to elsewhere).
 *
 * <p>Errors are {@link IllegalArgumentException}s whose one-line message names the option, the path
 * and what was expected.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * @param option the option or field that named the folder, e.g. "--output".
     * @param folder the folder; it need not exist yet.
     * @throws IllegalArgumentException when it is empty, exists as something else than a folder, or
     *     files cannot be created in it (or in its nearest existing ancestor).
     */
    public static void requireWritableFolder(String option, Path folder) {
        requireNonEmpty(option, folder);
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(option + " " + folder + " is " + kind(folder) + ", expected a folder");
        }
        requireCanCreateFilesIn(option, folder, folder);
    }

    /**
     * @param option the option or field that named the file, e.g. "--json".
     * @param file   the file; it need not exist yet.
     * @throws IllegalArgumentException when it is empty, exists as something else than a regular file
     *     (symbolic links included), or cannot be created in its folder.
     */
    public static void requireWritableFile(String option, Path file) {
        requireNonEmpty(option, file);
        requireReplaceable(option + " " + file, file);
        Path parent = file.toAbsolutePath().getParent();
        if (Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + " " + file + ": its parent " + parent + " is " + kind(parent)
                    + ", expected a folder");
        }
        requireCanCreateFilesIn(option, file, parent);
    }

    /**
     * The check every atomic writer makes before its rename replaces {@code target}.
     *
     * @param what   how to name the target in the message (e.g. the path, or "--json out.json").
     * @param target the file about to be created or replaced.
     * @throws IllegalArgumentException when it exists and is not a regular file (not following links).
     */
    public static void requireReplaceable(String what, Path target) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(what + " is " + kind(target)
                    + "; outputs are written as regular files and never replace anything else");
        }
    }

    /**
     * @param p an existing path.
     * @return what it is, e.g. "a character device", "a named pipe (FIFO)", "a symbolic link to /x".
     */
    public static String kind(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                return "a symbolic link to " + Files.readSymbolicLink(p);
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return "a folder";
            }
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return "a regular file";
            }
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) mode & 0170000;
            return switch (type) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a named pipe (FIFO)";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "not a regular file";
        }
    }

    private static void requireNonEmpty(String option, Path p) {
        if (p == null || p.toString().isBlank()) {
            throw new IllegalArgumentException(option + " is empty; expected a path");
        }
    }

    /**
     * Creates (and deletes) a probe file in {@code folder}, or in its nearest existing ancestor when
     * it does not exist yet: permissions, read-only mounts and pseudo file systems such as /proc all
     * refuse here rather than after a long run.
     */
    private static void requireCanCreateFilesIn(String option, Path named, Path folder) {
        Path probeDir = folder.toAbsolutePath().normalize();
        while (!Files.exists(probeDir)) {
            probeDir = probeDir.getParent();
            if (probeDir == null) {
                throw new IllegalArgumentException(option + " " + named + ": no part of the path exists");
            }
        }
        if (!Files.isDirectory(probeDir)) {
            throw new IllegalArgumentException(option + " " + named + ": " + probeDir + " is " + kind(probeDir)
                    + ", expected a folder");
        }
        try {
            Path probe = Files.createTempFile(probeDir, ".usae-write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(option + " " + named + ": cannot create files in " + probeDir + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
