package org.tribuo.usae.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Refuses a path that is not a regular file before anything opens it. Opening a named pipe blocks
 * until some other process writes to it, so a FIFO left in a data folder would hang a reader with
 * no message; a device or socket would be read as garbage or fail obscurely. Symbolic links are
 * followed: a link to a regular file is accepted (where a link may point is the caller's rule,
 * e.g. {@link NpyActivationSet#inside}).
 */
public final class RegularFiles {
    /** The file-type bits of a POSIX {@code st_mode}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private RegularFiles() {
    }

    /**
     * Checks that {@code file} exists and is a regular file (after following links), without opening it.
     *
     * @param file     the path about to be opened.
     * @param expected what it should be, for the message, e.g. "a regular .npy file".
     * @throws ActivationSetException "{@code <file>: file not found}" when it does not exist, or
     *     "{@code <file> is a named pipe (FIFO), expected <expected>}" (likewise a folder, device,
     *     socket) when it is not a regular file.
     */
    public static void require(Path file, String expected) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new ActivationSetException(file + ": file not found", e);
        } catch (IOException e) {
            throw new ActivationSetException(file + ": cannot read its attributes (" + e + ")", e);
        }
        if (!attrs.isRegularFile()) {
            throw new ActivationSetException(file + " is " + kind(file, attrs) + ", expected " + expected);
        }
    }

    /** Names what a non-regular path is; Java's portable attributes only say "other", so the POSIX mode is asked where there is one. */
    private static String kind(Path file, BasicFileAttributes attrs) {
        if (attrs.isDirectory()) {
            return "a folder";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            switch (mode & S_IFMT) {
                case S_IFIFO:
                    return "a named pipe (FIFO)";
                case S_IFCHR:
                    return "a character device";
                case S_IFBLK:
                    return "a block device";
                case S_IFSOCK:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // no POSIX view on this platform: fall back to the portable description
        }
        return "not a regular file (a pipe, device or socket)";
    }
}
