package org.tribuo.usae.onnx.vision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian packages fetched with {@code apt-get download} and unpacked with {@code dpkg-deb -x} into a
 * cache folder, for data that Debian ships (no root needed once apt's package lists exist).
 *
 * <p>Layout of the cache folder:
 * <ul>
 *   <li>{@code <name>_<version>_<arch>.deb}: the package, kept only when its SHA-256 is the pinned one
 *   (a file with another digest is deleted, naming both digests). A {@code .deb} put there by hand
 *   (e.g. on a machine without apt) is used as is when its digest matches.</li>
 *   <li>{@code <name>_<version>/}: the unpacked package. It is unpacked into a hidden temporary folder
 *   next to it, then {@value #MARKER} (holding the {@code .deb}'s SHA-256) is written in it last and the
 *   folder is renamed into place; a folder without that marker, or with another digest in it, is never
 *   taken as complete (it is deleted and unpacked again).</li>
 * </ul>
 * Downloads also go to a hidden temporary folder and are moved into place only after the digest check,
 * so an interrupted download never leaves a {@code .deb} that looks whole.
 *
 * <p>Errors are one line naming what is missing and what to run. The command names and apt's list
 * folder are constructor arguments so that tests can point them at a missing command or an empty
 * folder; the real programs are used otherwise.
 */
public final class AptCache {
    /** Written last into an unpacked package folder; holds the {@code .deb}'s SHA-256. */
    public static final String MARKER = ".usae-complete";
    /** Where apt keeps its package lists. */
    public static final Path APT_LISTS = Path.of("/var/lib/apt/lists");
    /** Longest a download or unpack may take. */
    static final long COMMAND_TIMEOUT_MINUTES = 30;

    private final Path cache;
    private final String aptGet;
    private final String dpkgDeb;
    private final Path aptLists;

    /**
     * @param cache    the cache folder (created when absent).
     * @param aptGet   the apt-get command (a name looked up on PATH, or a path).
     * @param dpkgDeb  the dpkg-deb command.
     * @param aptLists apt's package list folder ({@link #APT_LISTS}).
     */
    public AptCache(Path cache, String aptGet, String dpkgDeb, Path aptLists) {
        this.cache = cache.toAbsolutePath().normalize();
        this.aptGet = aptGet;
        this.dpkgDeb = dpkgDeb;
        this.aptLists = aptLists;
    }

    /**
     * @param cache the cache folder.
     * @return a cache using the system's {@code apt-get}, {@code dpkg-deb} and package lists.
     */
    public static AptCache system(Path cache) {
        return new AptCache(cache, "apt-get", "dpkg-deb", APT_LISTS);
    }

    /** @return the default cache folder, {@code ~/.cache/tribuo-usae/apt}. */
    public static Path defaultFolder() {
        return Path.of(System.getProperty("user.home"), ".cache", "tribuo-usae", "apt");
    }

    /** @return the cache folder. */
    public Path folder() {
        return cache;
    }

    /**
     * The unpacked package, fetching and unpacking it when the cache lacks a complete copy.
     *
     * @param p the package.
     * @return the folder the package was unpacked into (its {@code usr/...} tree is inside).
     * @throws IllegalStateException one line naming what is missing and what to run.
     */
    public Path unpacked(DebianPackage p) {
        Path dir = cache.resolve(p.folderName());
        if (complete(dir, p)) {
            return dir;
        }
        Path deb = deb(p);
        Path tmp = hiddenTempFolder(p, "unpack");
        try {
            run(List.of(command(dpkgDeb, "dpkg-deb", "install dpkg (apt-get install dpkg)"), "-x", deb.toString(), tmp.toString()),
                    cache, "dpkg-deb -x " + deb);
            Files.writeString(tmp.resolve(MARKER), p.sha256() + "\n", StandardCharsets.UTF_8);
            if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (complete(dir, p)) { // another process finished first
                    return dir;
                }
                deleteTree(dir);
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("cannot rename " + tmp + " to " + dir + " atomically (" + e.getMessage() + ")");
            }
            tmp = null;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + deb + " into " + dir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /**
     * @param dir an unpacked package folder.
     * @param p   the package.
     * @return true when the folder holds {@value #MARKER} with the package's SHA-256 (written last).
     */
    public static boolean complete(Path dir, DebianPackage p) {
        Path m = dir.resolve(MARKER);
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(m)) {
            return false;
        }
        try {
            return Files.size(m) < 1024 && Files.readString(m, StandardCharsets.UTF_8).strip().equals(p.sha256());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The verified {@code .deb}, downloading it when absent.
     *
     * @param p the package.
     * @return the {@code .deb} in the cache, its SHA-256 checked.
     * @throws IllegalStateException one line naming what is missing and what to run.
     */
    public Path deb(DebianPackage p) {
        Path deb = cache.resolve(p.debFile());
        if (Files.isRegularFile(deb)) {
            String got = sha256(deb);
            if (got.equals(p.sha256())) {
                return deb;
            }
            delete(deb);
            throw new IllegalStateException(deb + " has SHA-256 " + got + ", expected " + p.sha256()
                    + " for " + p.pin() + "; deleted it, run again to download it anew");
        }
        String apt = command(aptGet, "apt-get", "fetch " + p.pin() + " on a Debian/Ubuntu machine and put " + p.debFile()
                + " (SHA-256 " + p.sha256() + ") in " + cache);
        requireAptLists(p);
        Path tmp = hiddenTempFolder(p, "download");
        try {
            String out = run(List.of(apt, "download", p.pin()), tmp, null);
            Path got = tmp.resolve(p.debFile());
            if (!Files.isRegularFile(got)) {
                throw new IllegalStateException("apt-get download " + p.pin() + " finished without writing " + p.debFile()
                        + " (" + lastLine(out) + ")");
            }
            String digest = sha256(got);
            if (!digest.equals(p.sha256())) {
                throw new IllegalStateException("downloaded " + p.debFile() + " has SHA-256 " + digest + ", expected "
                        + p.sha256() + "; deleted it (a changed mirror or a broken download)");
            }
            Files.move(got, deb, StandardCopyOption.ATOMIC_MOVE);
            return deb;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the download into " + deb + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    private void requireAptLists(DebianPackage p) {
        boolean any = false;
        if (Files.isDirectory(aptLists)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(aptLists, "*_Packages*")) {
                any = s.iterator().hasNext();
            } catch (IOException e) {
                any = false;
            }
        }
        if (!any) {
            throw new IllegalStateException("apt's package lists in " + aptLists + " are empty, so apt-get cannot find "
                    + p.pin() + "; run: apt-get update");
        }
    }

    /**
     * @param name    the configured command (a name on PATH or a path).
     * @param what    the command's usual name.
     * @param instead what to do without it.
     * @return the executable's path.
     */
    static String command(String name, String what, String instead) {
        if (name.contains("/")) {
            if (Files.isExecutable(Path.of(name)) && !Files.isDirectory(Path.of(name))) {
                return name;
            }
            throw new IllegalStateException(what + " not found at " + name + ": " + instead);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (d.isEmpty()) {
                    continue;
                }
                Path c = Path.of(d, name);
                if (Files.isExecutable(c) && !Files.isDirectory(c)) {
                    return c.toString();
                }
            }
        }
        throw new IllegalStateException(what + " not found: '" + name + "' is on no folder of PATH; " + instead);
    }

    /**
     * Runs a command, returning its output; a failure becomes one line that says what to do.
     *
     * @param cmd  the command line.
     * @param dir  the working folder.
     * @param what how to name the command in errors (null for apt-get download, whose failures are classified).
     */
    private String run(List<String> cmd, Path dir, String what) {
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
        byte[] bytes;
        int rc;
        try (InputStream in = proc.getInputStream()) {
            bytes = in.readAllBytes();
            if (!proc.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + COMMAND_TIMEOUT_MINUTES + " minutes");
            }
            rc = proc.exitValue();
        } catch (IOException e) {
            proc.destroyForcibly();
            throw new IllegalStateException("cannot read the output of " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd));
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        if (rc != 0) {
            if (what != null) {
                throw new IllegalStateException(what + " failed (exit " + rc + "): " + lastLine(out));
            }
            throw new IllegalStateException(aptFailure(cmd.get(cmd.size() - 1), rc, out));
        }
        return out;
    }

    /** @return one line for a failed {@code apt-get download}, telling a missing package from an unreachable registry. */
    static String aptFailure(String pin, int rc, String out) {
        if (out.contains("Unable to locate package") || out.contains("Can't select version") || out.contains("has no installation candidate")) {
            return "apt does not know " + pin + " (exit " + rc + ": " + lastLine(out) + "); run: apt-get update"
                    + " (the Debian release must be bookworm or one that ships this version)";
        }
        if (out.contains("Could not resolve") || out.contains("Temporary failure") || out.contains("Failed to fetch")
                || out.contains("Could not connect") || out.contains("Connection failed") || out.contains("Network is unreachable")) {
            return "the Debian mirror is unreachable, apt-get download " + pin + " failed (exit " + rc + ": " + lastLine(out)
                    + "); check the network or proxy and run again";
        }
        return "apt-get download " + pin + " failed (exit " + rc + "): " + lastLine(out);
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank() && !lines[i].startsWith("W: Download is performed unsandboxed")) {
                String l = lines[i].strip();
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        return "no output";
    }

    /**
     * @param f a file.
     * @return its SHA-256, lower-case hex.
     */
    public static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** @return a new hidden folder in the cache, {@code .<name>_<version>-<what>-<random>}. */
    private Path hiddenTempFolder(DebianPackage p, String what) {
        try {
            Files.createDirectories(cache);
            return Files.createTempDirectory(cache, "." + p.folderName() + "-" + what + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder in the cache folder " + cache, e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + f, e);
        }
    }

    /** Deletes a folder tree without following symbolic links (unpacked packages hold some). */
    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
