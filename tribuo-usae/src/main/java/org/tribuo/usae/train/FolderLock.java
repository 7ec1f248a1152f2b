package org.tribuo.usae.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * An exclusive lock on a run's output folder for the life of the run, so that two runs never write
 * into one folder. The lock is the operating system's lock on the file {@value #FILE_NAME} in the
 * folder, which also records the holder's pid and start time for the error another run gets.
 *
 * <p>The operating system drops the lock when its process dies, however it dies (kill -9 included),
 * so a lock file left by a dead process is taken over by the next run without any guessing about
 * pids. The file itself is left in place on release: deleting it would let a run that opened the
 * old file and one that creates a new file both hold "the" lock. The one exception is a folder
 * the lock itself created and that holds nothing else on release (a run that failed before writing
 * anything): it is removed, lock file included, so a failed run leaves nothing behind.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name inside the locked folder. */
    public static final String FILE_NAME = ".usae-run.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private final boolean createdFolder;

    private FolderLock(Path file, FileChannel channel, FileLock lock, boolean createdFolder) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.createdFolder = createdFolder;
    }

    /**
     * Creates the folder if needed and locks it.
     *
     * @param folder the output folder.
     * @param what   what the folder is, for messages (e.g. "--output").
     * @param log    receives a line when a dead run's lock is taken over.
     * @return the held lock; close it when the run ends.
     * @throws CheckpointException naming the folder and the holder's pid when another run holds it.
     * @throws UncheckedIOException naming the lock file when it cannot be created or written.
     */
    public static FolderLock acquire(Path folder, String what, Consumer<String> log) {
        Path file = folder.resolve(FILE_NAME);
        FileChannel ch = null;
        try {
            boolean created = !Files.exists(folder);
            Files.createDirectories(folder);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new CheckpointException(file + ": the run lock file is not a regular file; remove it");
            }
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String holder = read(ch);
                ch.close();
                throw new CheckpointException(what + " " + folder + " is in use by another run (" + describe(holder)
                        + "); wait for it to finish or choose another folder");
            }
            String previous = read(ch);
            if (!previous.isBlank()) {
                log.accept("Took over the lock of " + folder + " left by " + describe(previous) + ", which is no longer running");
            }
            byte[] me = ("pid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(true);
            return new FolderLock(file, ch, lock, created);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("Could not lock " + what + " " + folder + " (" + file + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** @return the lock file. */
    public Path file() {
        return file;
    }

    private static boolean onlyTheLockIn(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            return s.allMatch(p -> p.getFileName().toString().equals(FILE_NAME));
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    /** "pid 1234, started 2026-12-07T02:00:00Z" from the file's lines; "pid unknown" when it has none yet. */
    private static String describe(String content) {
        String pid = field(content, "pid");
        String started = field(content, "started");
        return (pid == null ? "pid unknown" : "pid " + pid) + (started == null ? "" : ", started " + started);
    }

    private static String field(String content, String key) {
        for (String line : content.split("\n")) {
            if (line.startsWith(key + "=") && line.length() > key.length() + 1) {
                return line.substring(key.length() + 1).replaceAll("[^0-9A-Za-z:.+-]", "");
            }
        }
        return null;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    /**
     * Empties the file (so the next run sees no holder to take over) and releases the lock; the
     * file stays (see the class comment).
     */
    @Override
    public void close() {
        boolean removeFolder = false;
        try {
            channel.truncate(0);
            removeFolder = createdFolder && onlyTheLockIn(file.getParent());
            if (removeFolder) {
                Files.delete(file);
            }
        } catch (IOException e) {
            removeFolder = false; // a leftover lock file is harmless: the next run takes it over
        } finally {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel, and with the process at the latest
            }
        }
        if (removeFolder) {
            try {
                Files.delete(file.getParent());
            } catch (IOException e) {
                // something appeared in it meanwhile: then it is not ours to remove
            }
        }
    }
}
